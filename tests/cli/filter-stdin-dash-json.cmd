filter --format json --origin https://app.example --url https://api.example/v1/items - < $R/cdn-wildcard.http
