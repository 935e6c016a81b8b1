profiles --help
