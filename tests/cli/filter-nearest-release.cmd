filter --profile chrome/65.0.1 --origin https://app.example --url https://cdn.example/lib.js $R/cdn-wildcard.http
