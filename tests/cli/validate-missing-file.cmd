validate $P/no-such-file.xml
