from importer._cli import main

main()
