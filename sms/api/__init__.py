"""SMS over REST: the module's routes and the providers' delivery-report callbacks."""
