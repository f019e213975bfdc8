//! The clipboard, through the terminal: OSC 52 (`ESC ] 52 ; c ; <base64> BEL`), which
//! xterm, kitty, WezTerm, iTerm2, Windows Terminal, foot and others take, so copying works
//! over ssh too. Inside tmux the sequence is passed through to the terminal outside
//! (`ESC P tmux; … ESC \`, every ESC doubled; tmux needs `set -g allow-passthrough on`,
//! or `set -g set-clipboard on`, which takes the plain sequence itself).

use base64::Engine;

/// The bytes that put `text` on the clipboard; `tmux` when running inside tmux.
pub fn osc52(text: &str, tmux: bool) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let plain = format!("\x1b]52;c;{data}\x07");
    if tmux {
        format!("\x1bPtmux;{}\x1b\\", plain.replace('\x1b', "\x1b\x1b"))
    } else {
        plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_osc_52_with_base64_and_tmux_passes_it_through() {
        assert_eq!(osc52("hi", false), "\x1b]52;c;aGk=\x07");
        assert_eq!(osc52("黄伟", false), "\x1b]52;c;6buE5Lyf\x07");
        assert_eq!(osc52("hi", true), "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    }
}
