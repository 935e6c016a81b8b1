validate $P/invalid/browser-without-name.xml
