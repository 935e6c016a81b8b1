filter --origin https://app.example --url 'http://[::1' $R/api-json.http
