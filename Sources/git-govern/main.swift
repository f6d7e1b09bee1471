import GovernCLI
GitGovern.main()
