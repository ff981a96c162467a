# Builds the one Native AOT `bootstrap` every function runs (the function is chosen by _HANDLER).
# `sam build` (BuildMethod: makefile, CodeUri: .) copies this folder to a scratch directory and runs
# `make build-<LogicalId>` there with ARTIFACTS_DIR set, so nothing here may reach outside the repository root.

PROJECT     := src/JobsFunctions/JobsFunctions.csproj
RID         := linux-x64
PUBLISH_DIR := artifacts/publish/$(RID)
BOOTSTRAP   := $(PUBLISH_DIR)/bootstrap
# provided.al2023 ships glibc 2.34: a binary needing newer symbols fails to start there.
GLIBC_MAX   := 2.34

.PHONY: build-RecorderFunction build-ApiFunction build-SweeperFunction build-EventConfigFunction \
        publish glibc-floor aot-publish require-artifacts-dir

build-RecorderFunction build-ApiFunction build-SweeperFunction build-EventConfigFunction: require-artifacts-dir aot-publish
	cp $(BOOTSTRAP) $(ARTIFACTS_DIR)/bootstrap

# Local copy for running against a Runtime API emulator or inspecting the binary.
publish: aot-publish
	cp $(BOOTSTRAP) artifacts/bootstrap
	@ls -l artifacts/bootstrap

# The binary to check: the local publish by default, or any other (CI checks the one `sam build` would ship).
CHECK ?= artifacts/bootstrap

glibc-floor:
	@command -v objdump >/dev/null || { echo "glibc-floor needs objdump (binutils)" >&2; exit 1; }
	@test -f "$(CHECK)" || { echo "$(CHECK) does not exist: run 'make publish' first" >&2; exit 1; }
	@floor=$$(objdump -T "$(CHECK)" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -V | tail -n 1); \
	echo "highest glibc symbol version needed: $$floor (limit $(GLIBC_MAX))"; \
	highest=$$(printf '%s\n%s\n' "$$floor" "$(GLIBC_MAX)" | sort -V | tail -n 1); \
	if [ "$$highest" != "$(GLIBC_MAX)" ]; then \
		echo "bootstrap needs glibc $$floor, above the limit $(GLIBC_MAX) (the glibc of provided.al2023): it would not start on Lambda" >&2; \
		exit 1; \
	fi

# The .dbg symbols file stays behind: Lambda only needs the executable.
aot-publish:
	dotnet publish $(PROJECT) -c Release -r $(RID) -p:PublishAot=true -o $(PUBLISH_DIR)

require-artifacts-dir:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	@mkdir -p $(ARTIFACTS_DIR)
