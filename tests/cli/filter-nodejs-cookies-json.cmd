filter --profile nodejs --format json --credentials include --origin https://app.example --url https://api.example/session $R/cookie-setting.http
