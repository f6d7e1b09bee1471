import GovernCLI

GitGovern.entry()
