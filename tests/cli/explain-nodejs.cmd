explain --profile nodejs --credentials include --origin https://app.example --url https://cdn.example/lib.js $R/cdn-wildcard.http
