package org.meterspec.runtime;

/**
 * Decodes a byte stream that arrives in chunks of any size and reports every telegram, good or
 * damaged, to a listener. Three stages, each chosen once for the spec: the {@link Framer} finds
 * frames in the buffered bytes, the transport's {@link Reassembler} joins their segments into
 * transport telegrams, and the {@link BlockAssembler} joins General Block Transfer blocks into
 * APDUs, which the decoder decodes. After a damaged frame the scan resumes one byte after the
 * frame's start, so a telegram that follows is never lost; consecutive damaged frame candidates
 * are reported as one run. Results are reported in stream order ({@link InOrder}). Not
 * thread-safe.
 */
public final class StreamDecoder {
    /** Receives each telegram in order; {@code number} counts from 1. */
    @FunctionalInterface
    public interface Listener {
        void onTelegram(long number, TelegramResult result);
    }

    private final MeterDecoder decoder;
    private final Framer framer;
    private final Reassembler reassembler;
    private final BlockAssembler blocks;
    private final InOrder out;
    private final Scan scan = new Scan();
    private final Reassembler.Sink sink = new Sink();

    /** The undecided tail of the stream: never more than the framer's {@link Framer#window()}. */
    private final byte[] buf;
    private int start;
    private int end;
    /** Stream offset of {@code buf[start]}. */
    private long offset;
    /** The last scan reported a frame the stream ended inside. */
    private boolean lastIncomplete;

    /**
     * The most input bytes one run of rejected frame candidates spans (from the first byte of its
     * first candidate through the first byte of its last) before it is reported and a new run
     * begins: an endless stream of garbage is reported every 64 KiB.
     */
    public static final int RUN_CAP = 65536;
    /** The code of the open run's first candidate; null when no run is open. */
    private ErrorCode runCode;
    /** The open run's first error offset, and the stream offsets of its first and last candidates. */
    private long runOffset;
    private long runFirst;
    private long runLast;

    StreamDecoder(MeterDecoder decoder, Listener listener) {
        this.decoder = decoder;
        this.framer = Framer.of(decoder);
        this.reassembler = Reassembler.of(decoder.config());
        this.blocks = new BlockAssembler(decoder.config());
        this.out = new InOrder(framer.pending(), listener);
        this.buf = new byte[framer.window()];
    }

    /** Number of telegrams reported so far. */
    public long count() {
        return out.count();
    }

    /** Bytes consumed so far. */
    public long position() {
        return offset + (end - start);
    }

    /** Forgets everything buffered; numbering continues. */
    public void reset() {
        start = 0;
        end = 0;
        offset = 0;
        runCode = null;
        reassembler.reset();
        blocks.reset();
        out.clear();
    }

    public void feed(byte[] chunk) {
        feed(chunk, 0, chunk.length);
    }

    public void feed(byte[] chunk, int off, int len) {
        while (len > 0) {
            if (start == end) {
                // nothing buffered: scan the caller's bytes in place, keep only the undecided tail
                long chunkOffset = offset;
                int stop = process(chunk, off, off + len, chunkOffset, false);
                start = 0;
                end = 0;
                offset = chunkOffset + (stop - off);
                append(chunk, stop, off + len - stop);
                return;
            }
            // the undecided tail is shorter than the framer's window: room for one byte at least
            int n = Math.min(len, room());
            append(chunk, off, n);
            off += n;
            len -= n;
            int stop = process(buf, start, end, offset, false);
            offset += stop - start;
            start = stop;
        }
    }

    /** The stream has ended: reports a frame or telegram left incomplete. */
    public void finish() {
        int stop = process(buf, start, end, offset, true);
        offset += stop - start;
        start = end = 0;
        closeRun();
        long open = reassembler.openSince();
        if (open < 0) {
            open = blocks.openSince();
        }
        if (open >= 0 && !lastIncomplete) {
            emit(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, open), open);
        }
        reassembler.reset();
        blocks.reset();
        out.flush();
    }

    /** Bytes the buffer can take, once what was scanned is dropped. */
    private int room() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        return buf.length - end;
    }

    private void append(byte[] chunk, int off, int len) {
        if (len > room()) {
            // cannot happen: a framer asks for more bytes only while fewer than its window are there
            throw new IllegalStateException("undecided tail of " + len + " bytes exceeds the framer's window of " + buf.length);
        }
        System.arraycopy(chunk, off, buf, end, len);
        end += len;
    }

    /** Scans {@code a[from, to)} whose first byte is at stream offset {@code base}; returns where it stopped. */
    private int process(byte[] a, int from, int to, long base, boolean atEnd) {
        int p = from;
        lastIncomplete = false;
        while (p < to) {
            long at = base + (p - from);
            if (runCode != null && at - runFirst >= RUN_CAP) {
                closeRun();
            }
            framer.scan(a, p, to, atEnd, scan);
            switch (scan.kind) {
                case NEED_MORE:
                    out.release(horizon(at));
                    return p;
                case SKIP:
                    p += scan.consumed;
                    break;
                case INCOMPLETE:
                    closeRun();
                    if (!lastIncomplete) {
                        lastIncomplete = true;
                        emit(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, at), at);
                    }
                    p += scan.consumed;
                    break;
                case ERROR:
                    rejected(scan.error, base + (scan.errorPos - from), at);
                    reassembler.damaged(scan.more);
                    p += scan.consumed;
                    break;
                case FRAME:
                    closeRun();
                    p += reassembler.frame(a, p, scan, at, sink) ? scan.consumed : 1;
                    break;
                default:
                    throw new AssertionError(scan.kind);
            }
            out.release(horizon(base + (p - from)));
        }
        return p;
    }

    /**
     * The earliest stream position a result still to come can have, the scan being at {@code at}:
     * the open run of rejected candidates reports its first error, a telegram or block transfer
     * being joined its first byte; anything found later lies at or after the scan.
     */
    private long horizon(long at) {
        long h = at;
        if (runCode != null) {
            h = Math.min(h, runOffset);
        }
        long telegram = reassembler.openSince();
        if (telegram >= 0) {
            h = Math.min(h, telegram);
        }
        long transfer = blocks.openSince();
        if (transfer >= 0) {
            h = Math.min(h, transfer);
        }
        return h;
    }

    /**
     * A frame candidate starting at {@code at} was rejected with {@code code} at {@code offset}:
     * it joins the open run of rejected candidates, or opens one.
     */
    private void rejected(ErrorCode code, long offset, long at) {
        if (runCode == null) {
            runCode = code;
            runOffset = offset;
            runFirst = at;
            blocks.damaged();
        }
        runLast = at;
    }

    /** Reports the open run: one line, with its length when it stands for several candidates. */
    private void closeRun() {
        if (runCode != null) {
            emit(new DecodeError(runCode, runOffset, runLast > runFirst ? runLast - runFirst + 1 : 0), runOffset);
            runCode = null;
        }
    }

    /** Where reassembled telegrams go: blocks to the block assembler, APDUs to the decoder. */
    private final class Sink implements Reassembler.Sink {
        @Override
        public boolean telegram(TelegramBuffer t, boolean report) {
            if (t.length > 0 && t.at(0) == BlockAssembler.TAG) {
                if (blocks.block(t, this)) {
                    emit(decoder.decodeApdu(blocks.apdu(), 0, blocks.completed()), blocks.completedStart());
                }
                return true;
            }
            blocks.interrupt(this);
            TelegramResult result = t.decoded != null ? t.decoded : decoder.decodeApdu(t.bytes, t.off, t.length);
            if (result.isOk() || report) {
                emit(result, t.start);
            }
            return result.isOk();
        }

        @Override
        public boolean reads(TelegramBuffer t) {
            if (t.length > 0 && t.at(0) == BlockAssembler.TAG) {
                return blocks.readable(t);
            }
            if (t.decoded == null) {
                t.decoded = decoder.decodeApdu(t.bytes, t.off, t.length);
            }
            return t.decoded.isOk();
        }

        @Override
        public void error(ErrorCode code, long offset) {
            emit(new DecodeError(code, offset), offset);
        }
    }

    /** A result that begins at stream position {@code position}, passed on in stream order. */
    private void emit(TelegramResult result, long position) {
        out.add(result, position);
    }
}
