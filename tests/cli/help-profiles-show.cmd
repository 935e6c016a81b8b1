profiles show --help
