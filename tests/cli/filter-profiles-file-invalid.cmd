filter --profiles $P/invalid/missing-format.xml --profile chrome --origin https://app.example --url https://api.example/v1/items $R/api-json.http
