explain --redirect error --credentials include --origin https://app.example --url https://api.example/login $R/login-redirect.http
