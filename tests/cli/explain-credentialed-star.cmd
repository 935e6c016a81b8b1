explain --credentials include --origin https://app.example --url https://api.example/v1/items $T/credentialed-star.http
