validate - < $P/minimal.xml
