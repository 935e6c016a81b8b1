filter -H 'X-Custom 1' --origin https://app.example --url https://api.example/v1/items $R/api-json.http
