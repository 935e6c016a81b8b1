filter --profile chrome/64 --credentials omit --origin https://app.example --url https://cdn.example/lib.js $R/cdn-wildcard.http
