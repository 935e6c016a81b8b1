filter --format json --credentials include --origin https://app.example --url https://api.example/v1/items $R/wildcard-with-credentials.http
