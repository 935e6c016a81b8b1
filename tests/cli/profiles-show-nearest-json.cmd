profiles show chrome/65.0.1 --format json
