filter --origin https://app.example --url https://api.example/v1/items $TMPDIR_CLI/huge-header.http
