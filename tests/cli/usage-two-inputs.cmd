filter --origin https://app.example --url https://api.example/v1/items $R/api-json.http $R/cdn-wildcard.http
