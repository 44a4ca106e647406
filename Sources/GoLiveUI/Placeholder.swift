import GoLiveCore
