filter --method GET -H 'Accept: text/plain' --format json --origin https://app.example --url https://api.example/v1/items $R/api-json.http
