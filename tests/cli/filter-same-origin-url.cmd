filter --origin https://api.example --url https://api.example/v1/items $R/api-json.http
