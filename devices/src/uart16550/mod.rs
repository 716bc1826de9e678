//! NS16550A UART, as Linux's 8250 driver and OpenSBI's uart8250 driver use it.
//!
//! Modelled after the datasheet (PC16550D) with QEMU `hw/char/serial.c` as the reference for the
//! corners the datasheet leaves open. The transmitter is infinitely fast: a byte written to THR
//! goes to the host output at once, so LSR.THRE and LSR.TEMT always read 1, and the THRE interrupt
//! is re-raised right after each THR write (as on a real chip once the byte has left).
//!
//! Input from the host is queued without limit; the first 16 bytes of that queue are the
//! receive FIFO the guest sees (1 byte when the FIFOs are disabled), so the guest never sees an
//! overrun and host input is never lost. Loopback, modem-status interrupts and line errors are
//! not modelled: MSR reads as "carrier, DSR and CTS present" and line-status interrupts never fire.
//!
//! Bus interface (QEMU `serial_mm_ops` with `regshift` 0): the device decodes offsets 0..=7;
//! an access of any size reads the byte register at `offset`, zero-extended, and a write stores
//! the low byte of the value. Offsets 8 and beyond are refused (QEMU maps only 8 bytes there).

mod regs;

use std::collections::VecDeque;
use std::io::Write;

use emu_mmu::BusError;

use regs::*;

/// A 16550A UART whose transmitter writes to a host stream.
pub struct Uart16550 {
    /// Where bytes written to THR go.
    output: Box<dyn Write + Send>,
    /// Whether a host write error has been reported already (it is logged once).
    output_failed: bool,
    /// Host input not yet read by the guest; the first `fifo_depth()` bytes are the receive FIFO.
    rx: VecDeque<u8>,
    ier: u8,
    lcr: u8,
    mcr: u8,
    scr: u8,
    /// The remembered FCR bits (`FCR_KEEP`).
    fcr: u8,
    dll: u8,
    dlm: u8,
    /// A THRE interrupt is pending: set when THR becomes empty (or ETBEI rises while it is),
    /// cleared by writing THR or by reading IIR while it is the interrupt reported.
    thr_ipending: bool,
}

impl Uart16550 {
    /// Size of the device's register window (the bus may map a larger slot; offsets past this are
    /// refused).
    pub const MMIO_SIZE: u64 = REG_COUNT;

    /// A UART in its reset state whose transmitted bytes are written (and flushed) to `output`.
    pub fn new(output: Box<dyn Write + Send>) -> Uart16550 {
        Uart16550 {
            output,
            output_failed: false,
            rx: VecDeque::new(),
            ier: 0,
            lcr: 0,
            mcr: 0,
            scr: 0,
            fcr: 0,
            dll: 0,
            dlm: 0,
            thr_ipending: false,
        }
    }

    /// Returns the registers to their reset state (datasheet table IV). Pending host input stays
    /// queued: it was typed into the terminal, not into the chip.
    pub fn reset(&mut self) {
        self.ier = 0;
        self.lcr = 0;
        self.mcr = 0;
        self.scr = 0;
        self.fcr = 0;
        self.dll = 0;
        self.dlm = 0;
        self.thr_ipending = false;
    }

    /// Queues bytes typed on the host for the guest to receive.
    pub fn push_input(&mut self, bytes: &[u8]) {
        self.rx.extend(bytes);
    }

    /// Number of host input bytes not yet read by the guest.
    pub fn pending_input(&self) -> usize {
        self.rx.len()
    }

    /// The interrupt line (PLIC source 10 on `virt`).
    pub fn irq(&self) -> bool {
        self.interrupt_id() != IIR_NO_INT
    }

    /// Reads the byte register at `offset`; any access size reads that one byte, zero-extended.
    pub fn read(&mut self, offset: u64, size: usize) -> Result<u64, BusError> {
        if offset >= REG_COUNT || !matches!(size, 1 | 2 | 4 | 8) {
            return Err(BusError::Refused(offset));
        }
        let dlab = self.lcr & LCR_DLAB != 0;
        let value = match offset {
            RBR if dlab => self.dll,
            RBR => self.rx.pop_front().unwrap_or(0),
            IER if dlab => self.dlm,
            IER => self.ier,
            IIR => self.read_iir(),
            LCR => self.lcr,
            MCR => self.mcr,
            LSR => self.lsr(),
            MSR => MSR_IDLE,
            SCR => self.scr,
            _ => 0,
        };
        Ok(u64::from(value))
    }

    /// Writes the low byte of `value` to the register at `offset`.
    pub fn write(&mut self, offset: u64, size: usize, value: u64) -> Result<(), BusError> {
        if offset >= REG_COUNT || !matches!(size, 1 | 2 | 4 | 8) {
            return Err(BusError::Refused(offset));
        }
        let value = value as u8;
        let dlab = self.lcr & LCR_DLAB != 0;
        match offset {
            DLL if dlab => self.dll = value,
            THR => self.transmit(value),
            DLM if dlab => self.dlm = value,
            IER => self.write_ier(value),
            FCR => self.write_fcr(value),
            LCR => self.lcr = value,
            MCR => self.mcr = value & MCR_MASK,
            // LSR and MSR are read-only (writing them is a factory test mode on real parts).
            LSR | MSR => {}
            SCR => self.scr = value,
            _ => {}
        }
        Ok(())
    }

    /// Bytes the guest can currently see in the receive FIFO.
    fn fifo_count(&self) -> usize {
        let depth = if self.fifo_enabled() { FIFO_LEN } else { 1 };
        self.rx.len().min(depth)
    }

    fn fifo_enabled(&self) -> bool {
        self.fcr & FCR_FE != 0
    }

    fn lsr(&self) -> u8 {
        let dr = if self.rx.is_empty() { 0 } else { LSR_DR };
        dr | LSR_THRE | LSR_TEMT
    }

    /// The interrupt identification in IIR bits 3:0, highest priority first (datasheet table 4):
    /// receiver line status (never: no line errors), received data / character timeout,
    /// THR empty, modem status (never: no modem).
    fn interrupt_id(&self) -> u8 {
        let count = self.fifo_count();
        if self.ier & IER_ERBFI != 0 && count > 0 {
            // Without a FIFO any byte is "data available". With one, below the trigger level
            // the chip reports a character timeout after four character times; the model has no
            // character clock and reports it at once, which drivers treat the same way.
            if !self.fifo_enabled() || count >= rx_trigger_level(self.fcr) {
                return IIR_RDI;
            }
            return IIR_CTI;
        }
        if self.ier & IER_ETBEI != 0 && self.thr_ipending {
            return IIR_THRI;
        }
        IIR_NO_INT
    }

    fn read_iir(&mut self) -> u8 {
        let id = self.interrupt_id();
        if id == IIR_THRI {
            // Reading IIR while it reports THRE clears that interrupt (datasheet table 4).
            self.thr_ipending = false;
        }
        let fifo = if self.fifo_enabled() {
            IIR_FIFO_ENABLED
        } else {
            0
        };
        id | fifo
    }

    fn write_ier(&mut self, value: u8) {
        let value = value & IER_MASK;
        let rising = value & !self.ier & IER_ETBEI != 0;
        self.ier = value;
        if value & IER_ETBEI == 0 {
            self.thr_ipending = false;
        } else if rising {
            // THR is always empty: enabling ETBEI raises THRE at once. Linux's THRE test at
            // startup toggles IER to check exactly this.
            self.thr_ipending = true;
        }
    }

    fn write_fcr(&mut self, value: u8) {
        let mut clear_rx = value & FCR_RFR != 0;
        if (value ^ self.fcr) & FCR_FE != 0 {
            // Enabling or disabling the FIFOs resets them (datasheet, FCR bit 0).
            clear_rx = true;
        }
        if clear_rx {
            let n = self.fifo_count();
            self.rx.drain(..n);
        }
        // Clearing the transmit FIFO (FCR bit 2) has nothing to do: transmission is instantaneous.
        self.fcr = value & FCR_KEEP;
        if self.fcr & FCR_FE == 0 {
            // The trigger bits are meaningless without FIFOs; keep the register tidy.
            self.fcr = 0;
        }
    }

    fn transmit(&mut self, byte: u8) {
        self.thr_ipending = false;
        let result = self
            .output
            .write_all(&[byte])
            .and_then(|()| self.output.flush());
        if let Err(e) = result {
            if !self.output_failed {
                log::warn!("uart: console output failed, dropping output: {e}");
                self.output_failed = true;
            }
        }
        // The byte has left: THR and the shift register are empty again.
        self.thr_ipending = true;
    }
}

impl std::fmt::Debug for Uart16550 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Uart16550")
            .field("ier", &self.ier)
            .field("lcr", &self.lcr)
            .field("fcr", &self.fcr)
            .field("pending_input", &self.rx.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A host output that records what the guest transmitted.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A host output that always fails.
    struct Broken;

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn uart() -> (Uart16550, Sink) {
        let sink = Sink::default();
        (Uart16550::new(Box::new(sink.clone())), sink)
    }

    fn rd(u: &mut Uart16550, off: u64) -> u8 {
        u.read(off, 1).unwrap() as u8
    }

    fn wr(u: &mut Uart16550, off: u64, v: u8) {
        u.write(off, 1, u64::from(v)).unwrap()
    }

    #[test]
    fn reset_state() {
        let (mut u, _) = uart();
        assert_eq!(rd(&mut u, IER), 0);
        assert_eq!(rd(&mut u, IIR), IIR_NO_INT);
        assert_eq!(rd(&mut u, LCR), 0);
        assert_eq!(rd(&mut u, MCR), 0);
        assert_eq!(rd(&mut u, LSR), LSR_THRE | LSR_TEMT);
        assert_eq!(rd(&mut u, MSR), MSR_IDLE);
        assert_eq!(rd(&mut u, RBR), 0);
        assert!(!u.irq());
    }

    #[test]
    fn thr_bytes_reach_the_host_output() {
        let (mut u, sink) = uart();
        for b in b"hi\n" {
            assert_ne!(rd(&mut u, LSR) & LSR_THRE, 0);
            wr(&mut u, THR, *b);
        }
        assert_eq!(&*sink.0.lock().unwrap(), b"hi\n");
    }

    #[test]
    fn a_broken_output_does_not_stop_the_uart() {
        let mut u = Uart16550::new(Box::new(Broken));
        wr(&mut u, THR, b'x');
        wr(&mut u, THR, b'y');
        assert_eq!(rd(&mut u, LSR) & LSR_TEMT, LSR_TEMT);
    }

    #[test]
    fn divisor_latch_is_behind_dlab() {
        let (mut u, sink) = uart();
        wr(&mut u, IER, 0x05);
        wr(&mut u, LCR, LCR_DLAB | 0x03);
        wr(&mut u, DLL, 0x0c);
        wr(&mut u, DLM, 0x01);
        assert_eq!(rd(&mut u, DLL), 0x0c);
        assert_eq!(rd(&mut u, DLM), 0x01);
        wr(&mut u, LCR, 0x03);
        assert_eq!(rd(&mut u, IER), 0x05);
        assert_eq!(rd(&mut u, LCR), 0x03);
        // Divisor writes did not transmit anything, nor did they touch IER.
        assert!(sink.0.lock().unwrap().is_empty());
    }

    #[test]
    fn ier_keeps_only_the_low_nibble_and_scratch_holds_a_byte() {
        let (mut u, _) = uart();
        wr(&mut u, IER, 0xff);
        assert_eq!(rd(&mut u, IER), 0x0f);
        wr(&mut u, SCR, 0xa5);
        assert_eq!(rd(&mut u, SCR), 0xa5);
        wr(&mut u, MCR, 0xff);
        assert_eq!(rd(&mut u, MCR), 0x1f);
    }

    #[test]
    fn received_bytes_set_dr_and_raise_rdi() {
        let (mut u, _) = uart();
        u.push_input(b"ab");
        assert_eq!(rd(&mut u, LSR) & LSR_DR, LSR_DR);
        assert!(!u.irq(), "no interrupt until IER.ERBFI");
        wr(&mut u, IER, IER_ERBFI);
        assert!(u.irq());
        assert_eq!(rd(&mut u, IIR), IIR_RDI);
        assert_eq!(rd(&mut u, RBR), b'a');
        assert!(u.irq());
        assert_eq!(rd(&mut u, RBR), b'b');
        assert_eq!(rd(&mut u, LSR) & LSR_DR, 0);
        assert!(!u.irq());
        assert_eq!(rd(&mut u, IIR), IIR_NO_INT);
    }

    #[test]
    fn fifo_mode_reports_fifo_bits_trigger_level_and_timeout() {
        let (mut u, _) = uart();
        // FIFO on, trigger level 4.
        wr(&mut u, FCR, 0x41);
        wr(&mut u, IER, IER_ERBFI);
        assert_eq!(rd(&mut u, IIR), IIR_FIFO_ENABLED | IIR_NO_INT);
        u.push_input(b"abc");
        assert_eq!(rd(&mut u, IIR), IIR_FIFO_ENABLED | IIR_CTI);
        u.push_input(b"d");
        assert_eq!(rd(&mut u, IIR), IIR_FIFO_ENABLED | IIR_RDI);
        assert_eq!(rd(&mut u, RBR), b'a');
        assert_eq!(rd(&mut u, IIR), IIR_FIFO_ENABLED | IIR_CTI);
        // FIFO off again: bits 7:6 clear.
        wr(&mut u, FCR, 0);
        assert_eq!(rd(&mut u, IIR) & IIR_FIFO_ENABLED, 0);
    }

    #[test]
    fn input_beyond_the_fifo_waits_on_the_host_side() {
        let (mut u, _) = uart();
        wr(&mut u, FCR, FCR_FE);
        let input: Vec<u8> = (0..100).collect();
        u.push_input(&input);
        assert_eq!(u.pending_input(), 100);
        let mut got = Vec::new();
        while rd(&mut u, LSR) & LSR_DR != 0 {
            got.push(rd(&mut u, RBR));
        }
        assert_eq!(got, input);
    }

    #[test]
    fn fcr_clears_only_what_is_in_the_fifo() {
        let (mut u, _) = uart();
        wr(&mut u, FCR, FCR_FE);
        let input: Vec<u8> = (0..20).collect();
        u.push_input(&input);
        wr(&mut u, FCR, FCR_FE | FCR_RFR);
        assert_eq!(u.pending_input(), 4);
        assert_eq!(rd(&mut u, RBR), 16);
        // Toggling FE resets the FIFO too.
        wr(&mut u, FCR, 0);
        assert_eq!(u.pending_input(), 0);
    }

    #[test]
    fn thre_interrupt_rises_with_etbei_and_clears_on_iir_read() {
        let (mut u, _) = uart();
        wr(&mut u, IER, IER_ETBEI);
        assert!(u.irq());
        assert_eq!(rd(&mut u, IIR), IIR_THRI);
        // Reading IIR while it reported THRE cleared it.
        assert!(!u.irq());
        assert_eq!(rd(&mut u, IIR), IIR_NO_INT);
        // Writing IER again without a rising edge does not re-raise it.
        wr(&mut u, IER, IER_ETBEI);
        assert!(!u.irq());
        // Toggling ETBEI does (Linux's THRE test).
        wr(&mut u, IER, 0);
        wr(&mut u, IER, IER_ETBEI);
        assert_eq!(rd(&mut u, IIR), IIR_THRI);
    }

    #[test]
    fn writing_thr_rearms_thre_once_the_byte_is_sent() {
        let (mut u, _) = uart();
        wr(&mut u, IER, IER_ETBEI);
        assert_eq!(rd(&mut u, IIR), IIR_THRI);
        assert!(!u.irq());
        wr(&mut u, THR, b'x');
        assert!(u.irq());
        // Disabling ETBEI drops the pending THRE interrupt.
        wr(&mut u, IER, 0);
        assert!(!u.irq());
    }

    #[test]
    fn receive_interrupt_outranks_thre() {
        let (mut u, _) = uart();
        wr(&mut u, IER, IER_ETBEI | IER_ERBFI);
        u.push_input(b"z");
        assert_eq!(rd(&mut u, IIR), IIR_RDI);
        // THRE was not the reported reason, so it is still pending.
        assert_eq!(rd(&mut u, RBR), b'z');
        assert_eq!(rd(&mut u, IIR), IIR_THRI);
        assert_eq!(rd(&mut u, IIR), IIR_NO_INT);
    }

    #[test]
    fn wide_accesses_read_the_byte_register_and_bad_offsets_are_refused() {
        let (mut u, sink) = uart();
        wr(&mut u, SCR, 0x5a);
        assert_eq!(u.read(SCR, 4), Ok(0x5a));
        u.write(THR, 4, 0x1234_5641).unwrap();
        assert_eq!(&*sink.0.lock().unwrap(), b"A");
        assert_eq!(u.read(8, 1), Err(BusError::Refused(8)));
        assert_eq!(u.write(0xfff, 1, 0), Err(BusError::Refused(0xfff)));
        assert_eq!(u.read(u64::MAX, 1), Err(BusError::Refused(u64::MAX)));
        assert_eq!(u.read(0, 3), Err(BusError::Refused(0)));
    }

    #[test]
    fn reset_restores_registers_but_keeps_input() {
        let (mut u, _) = uart();
        wr(&mut u, IER, 0x0f);
        wr(&mut u, LCR, 0x83);
        u.push_input(b"q");
        u.reset();
        assert_eq!(rd(&mut u, LCR), 0);
        assert_eq!(rd(&mut u, IER), 0);
        assert_eq!(rd(&mut u, RBR), b'q');
    }
}
