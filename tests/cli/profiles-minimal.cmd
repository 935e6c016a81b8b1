profiles --profiles $P/minimal.xml
