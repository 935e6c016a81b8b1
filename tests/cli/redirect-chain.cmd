filter --credentials include --origin https://app.example --url https://api.example/login $T/redirect-chain.http
