from stalklog.cli.app import main

main()
