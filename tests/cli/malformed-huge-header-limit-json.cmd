filter --format json --profiles $P/minimal.xml --profile testbrowser/2 --origin https://app.example --url https://api.example/v1/items $TMPDIR_CLI/huge-header.http
