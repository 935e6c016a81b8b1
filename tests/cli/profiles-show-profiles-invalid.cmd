profiles show chrome/76 --profiles $P/invalid/no-namespace.xml
