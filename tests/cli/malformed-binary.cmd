filter --origin https://app.example --url https://api.example/v1/items $T/garbage.bin
