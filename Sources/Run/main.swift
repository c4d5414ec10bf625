import App; import ArgumentParser; print("x")
