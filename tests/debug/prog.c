/* The bare-metal program the debugger tests (tests/gdb.rs, tests/monitor.rs) take apart: known data
 * to read, a function to break in, a counter to watch, then a loop to interrupt, which runs until
 * the debugger sets `release`. Exits with 0 when the counter adds up. */

volatile unsigned long counter;
volatile unsigned long spins;
volatile int release; /* the debugger sets it to let main finish */
unsigned long table[4] = {0x1111222233334444, 0x5555666677778888, 0xdeadbeefcafef00d, 42};
double ratio = 1.5;

void bump(unsigned long by) {
    counter += by;
}

int main(void) {
    for (unsigned long i = 0; i < 10; i++) {
        bump(i);
    }
    while (!release) {
        spins++;
    }
    return counter == 45 ? 0 : 1;
}
