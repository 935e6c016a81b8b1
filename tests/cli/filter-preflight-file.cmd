filter --method PUT -H 'X-Custom: 1' --preflight $R/api-json.http --origin https://app.example --url https://api.example/v1/items $R/api-json.http
