profiles show chrome/65.0.1
