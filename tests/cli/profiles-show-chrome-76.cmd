profiles show chrome/76
