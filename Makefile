# avrrsim: a plain Makefile. `make` builds ./avrrsim (objects under build/);
# `make run` installs what is missing, builds and runs the baseline scenario;
# `make test` installs what is missing, builds and runs every test.
# `make MPI=1` installs Open MPI when missing and builds ./avrrsim with mpicc
# for mpirun (objects under build/mpi/); `make test-mpi` runs the MPI tests.

CC      ?= cc
MPI     ?= 0
MPI_PACKAGES := libopenmpi-dev openmpi-bin
ifeq ($(MPI),1)
CC      := mpicc
BUILD   ?= build/mpi
MPI_CFLAGS := -DAVRRSIM_MPI
DEPS_EXTRA := $(MPI_PACKAGES)
FLAVOUR := mpi
else
FLAVOUR := plain
endif
PKGS    := gsl yaml-0.1 libcrypto
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wwrite-strings -Wundef -Wvla
CFLAGS  += -std=c11 $(OPT) $(WARN) -D_XOPEN_SOURCE=700 -pthread -MMD -MP \
           -I. $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(MPI_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
BUILD   ?= build
PROGRAM ?= avrrsim
SANITIZE := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC := $(filter-out engine/main.c,$(wildcard engine/*.c models/*.c plots/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/engine/main.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BUILD)/bench/floor $(BUILD)/bench/draws

.PHONY: all deps run test clean check-sanitize check-valgrind bench fuzz test-mpi FORCE

ifeq ($(MPI),1)
all: deps
	@$(MAKE) --no-print-directory $(PROGRAM)
else
all: $(PROGRAM)
endif

deps:
	@sh scripts/install-deps.sh $(DEPS_EXTRA)

# The program is linked again when it changes flavour (plain or MPI): this
# file holds the flavour it was last linked as, and changes only with it.
FLAVOUR_STAMP := build/.flavour-$(subst /,-,$(PROGRAM))
$(FLAVOUR_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo $(FLAVOUR) | cmp -s - $@ || echo $(FLAVOUR) > $@

$(PROGRAM): $(MAIN_OBJ) $(BUILD)/libavrrsim.a $(FLAVOUR_STAMP)
	$(CC) $(CFLAGS) -o $@ $(MAIN_OBJ) $(BUILD)/libavrrsim.a $(LDLIBS)

$(BUILD)/libavrrsim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libavrrsim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libavrrsim.a $(LDLIBS) -lcmocka

run: deps
	@$(MAKE) --no-print-directory avrrsim
	./avrrsim run scenarios/baseline.yaml

# The benchmark's programs are built too (not run), so that a change to the
# headers they use cannot leave `make bench` broken unseen.
test: deps
	@$(MAKE) --no-print-directory $(PROGRAM) $(UNIT_BIN) $(BENCH_BIN)
	@AVRRSIM=$(CURDIR)/$(PROGRAM) sh tests/run.sh $(UNIT_BIN)

# Every test again, built with AddressSanitizer and UndefinedBehaviorSanitizer.
check-sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build/sanitize PROGRAM=build/sanitize/avrrsim \
	    OPT="$(SANITIZE)" test

# The end-to-end tests with the program under valgrind memcheck: any error or
# leak fails the case. Cases marked `slow` are skipped (minutes under valgrind).
check-valgrind: deps
	@$(MAKE) --no-print-directory $(PROGRAM)
	@E2E_SKIP_SLOW=1 AVRRSIM="$(CURDIR)/tests/valgrind-avrrsim" sh tests/e2e/run.sh | tee build/valgrind.log
	@tail -n 1 build/valgrind.log | grep -q ' 0 failed$$'

# The scenario loader under libFuzzer (clang), for FUZZ_SECONDS (default 600),
# seeded with every YAML file of the repository: tests/fuzz/README.md.
FUZZ_SECONDS ?= 600
FUZZ_BUILD := build/fuzz
FUZZ_CFLAGS := -std=c11 -O1 -g -D_XOPEN_SOURCE=700 -pthread -I. \
               -fsanitize=address,undefined -fno-omit-frame-pointer
FUZZ_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/fuzz_scenario: tests/fuzz/fuzz_scenario.c $(FUZZ_OBJ)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz:
	@sh scripts/install-deps.sh clang
	@$(MAKE) --no-print-directory $(FUZZ_BUILD)/fuzz_scenario
	sh tests/fuzz/run.sh $(FUZZ_BUILD)/fuzz_scenario $(FUZZ_SECONDS)

# Fixed workloads timed against the random-number floor and, for the
# baseline, against the numpy script an analyst would write (not a test); with
# MPI=1, the throughput of 1, 2 and 4 ranks and the bytes sent per replication.
bench: deps
	@$(if $(filter 1,$(MPI)),,sh scripts/install-deps.sh python3-numpy)
	@$(MAKE) --no-print-directory $(PROGRAM) $(BENCH_BIN)
	@sh tests/bench/$(if $(filter 1,$(MPI)),mpi.sh,bench.sh)

# Runs, sweeps and batches under mpirun with 2 and 3 ranks against one
# process (tests/mpi/run.sh): the MPI build at build/mpi/avrrsim, the plain
# one at build/avrrsim, neither touching ./avrrsim.
test-mpi:
	@sh scripts/install-deps.sh $(MPI_PACKAGES)
	@$(MAKE) --no-print-directory PROGRAM=build/avrrsim build/avrrsim
	@$(MAKE) --no-print-directory MPI=1 PROGRAM=build/mpi/avrrsim build/mpi/avrrsim
	@sh tests/mpi/run.sh $(CURDIR)/build/mpi/avrrsim $(CURDIR)/build/avrrsim

$(BUILD)/bench/floor: tests/bench/floor.c $(BUILD)/libavrrsim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libavrrsim.a $(LDLIBS)

$(BUILD)/bench/draws: tests/bench/draws.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

clean:
	rm -rf build avrrsim

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BIN:=.d)
