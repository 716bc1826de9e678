//! NS16550A register offsets and bits (National Semiconductor PC16550D datasheet, section 8;
//! the names follow Linux `include/uapi/linux/serial_reg.h`).

/// Receiver buffer (read, DLAB = 0).
pub const RBR: u64 = 0;
/// Transmitter holding register (write, DLAB = 0).
pub const THR: u64 = 0;
/// Divisor latch, low byte (DLAB = 1).
pub const DLL: u64 = 0;
/// Interrupt enable register (DLAB = 0).
pub const IER: u64 = 1;
/// Divisor latch, high byte (DLAB = 1).
pub const DLM: u64 = 1;
/// Interrupt identification register (read).
pub const IIR: u64 = 2;
/// FIFO control register (write).
pub const FCR: u64 = 2;
/// Line control register.
pub const LCR: u64 = 3;
/// Modem control register.
pub const MCR: u64 = 4;
/// Line status register.
pub const LSR: u64 = 5;
/// Modem status register.
pub const MSR: u64 = 6;
/// Scratch register.
pub const SCR: u64 = 7;
/// Number of byte registers; the device decodes offsets 0..=7 only.
pub const REG_COUNT: u64 = 8;

/// IER: received data available interrupt (and character timeout).
pub const IER_ERBFI: u8 = 0x01;
/// IER: transmitter holding register empty interrupt.
pub const IER_ETBEI: u8 = 0x02;
/// IER bits that exist on a 16550A (the upper nibble reads 0; Linux's XScale probe relies on it).
pub const IER_MASK: u8 = 0x0f;

/// IIR: no interrupt pending.
pub const IIR_NO_INT: u8 = 0x01;
/// IIR: transmitter holding register empty.
pub const IIR_THRI: u8 = 0x02;
/// IIR: received data available (FIFO at or above its trigger level).
pub const IIR_RDI: u8 = 0x04;
/// IIR: character timeout (data in the FIFO below the trigger level).
pub const IIR_CTI: u8 = 0x0c;
/// IIR: FIFOs enabled (bits 7:6 both set on a 16550A).
pub const IIR_FIFO_ENABLED: u8 = 0xc0;

/// FCR: enable the FIFOs.
pub const FCR_FE: u8 = 0x01;
/// FCR: clear the receive FIFO (self-clearing).
pub const FCR_RFR: u8 = 0x02;
/// FCR bits that are remembered: FIFO enable, DMA mode select, receiver trigger level.
pub const FCR_KEEP: u8 = 0xc9;

/// LCR: divisor latch access bit.
pub const LCR_DLAB: u8 = 0x80;

/// MCR bits that exist (DTR, RTS, OUT1, OUT2, LOOP).
pub const MCR_MASK: u8 = 0x1f;

/// LSR: data ready.
pub const LSR_DR: u8 = 0x01;
/// LSR: transmitter holding register empty.
pub const LSR_THRE: u8 = 0x20;
/// LSR: transmitter empty (holding and shift register).
pub const LSR_TEMT: u8 = 0x40;

/// MSR with no modem attached, as QEMU reports it: DCD, DSR and CTS asserted.
pub const MSR_IDLE: u8 = 0xb0;

/// Depth of the receive FIFO.
pub const FIFO_LEN: usize = 16;

/// Receive FIFO trigger level selected by FCR bits 7:6.
pub fn rx_trigger_level(fcr: u8) -> usize {
    match fcr >> 6 {
        0 => 1,
        1 => 4,
        2 => 8,
        _ => 14,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_levels_follow_the_datasheet() {
        assert_eq!(rx_trigger_level(0x01), 1);
        assert_eq!(rx_trigger_level(0x41), 4);
        assert_eq!(rx_trigger_level(0x81), 8);
        assert_eq!(rx_trigger_level(0xc1), 14);
    }
}
