validate $P/minimal.xml
