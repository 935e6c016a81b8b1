validate $P/invalid/set-with-content.xml
