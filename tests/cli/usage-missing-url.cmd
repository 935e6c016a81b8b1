filter --origin https://app.example $R/api-json.http
