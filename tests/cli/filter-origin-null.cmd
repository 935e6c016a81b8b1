filter --format json --origin null --url https://api.example/v1/items $R/api-json.http
