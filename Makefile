# avrrsim: a plain Makefile. `make` builds ./avrrsim (objects under build/);
# `make run` installs what is missing, builds and runs the baseline scenario;
# `make test` installs what is missing, builds and runs every test.

CC      ?= cc
PKGS    := gsl yaml-0.1 libcrypto
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wwrite-strings -Wundef -Wvla
CFLAGS  += -std=c11 $(OPT) $(WARN) -D_XOPEN_SOURCE=700 -pthread -MMD -MP \
           -I. $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(EXTRA_CFLAGS)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
BUILD   ?= build

LIB_SRC := $(filter-out engine/main.c,$(wildcard engine/*.c models/*.c plots/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/engine/main.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps run test unit e2e clean bench

all: avrrsim

deps:
	@sh scripts/install-deps.sh

avrrsim: $(MAIN_OBJ) $(BUILD)/libavrrsim.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

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

test: deps
	@$(MAKE) --no-print-directory avrrsim $(UNIT_BIN)
	@sh tests/run.sh $(UNIT_BIN)

clean:
	rm -rf $(BUILD) avrrsim

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BIN:=.d)
