package org.meterspec.runtime;

import java.util.Arrays;

/**
 * Decodes a byte stream that arrives in chunks of any size: finds frames, reassembles segmented
 * telegrams and block transfers, and reports every telegram, good or damaged, to a listener.
 * After a damaged frame it resumes scanning one byte after the frame's start, so a telegram that
 * follows is never lost; continuation frames of a telegram already reported as damaged are
 * dropped without a second report. Not thread-safe.
 */
public final class StreamDecoder {
    /** Receives each telegram in order; {@code number} counts from 1. */
    @FunctionalInterface
    public interface Listener {
        void onTelegram(long number, TelegramResult result);
    }

    private static final int LLC_LENGTH = 3;

    private final MeterDecoder decoder;
    private final DecoderConfig config;
    private final Framer framer;
    private final Listener listener;
    private final Scan scan = new Scan();

    private byte[] buf = new byte[512];
    private int start;
    private int end;
    /** Stream offset of {@code buf[start]}. */
    private long offset;
    private long count;

    private final byte[] telegram;
    private int telegramLength;
    private int frames;
    private boolean assembling;
    private int nextSegment;
    private long telegramStart;
    /** Stream offset of the telegram that carried block 1 of the block transfer being reassembled. */
    private long blocksStart;
    private boolean discarding;

    /** The stream has shown LLC headers, so a frame without one is a continuation. */
    private boolean llcSeen;
    /** Raw APDU errors of candidates starting before this stream offset belong to one already reported. */
    private long rawDiscardUntil = -1;
    /** A raw APDU could not be measured: errors are not reported until one decodes again. */
    private boolean rawLost;

    private final byte[] blocks;
    private int blocksLength;
    /** The block number expected next; 0 when no block transfer is open (then {@code blocksLength} is 0 too). */
    private int nextBlock;
    private boolean blockDiscarding;

    StreamDecoder(MeterDecoder decoder, Listener listener) {
        this.decoder = decoder;
        this.config = decoder.config();
        this.framer = Framer.of(decoder);
        this.listener = listener;
        this.telegram = new byte[config.maxTelegram];
        this.blocks = new byte[config.maxBlocks > 0 ? config.maxApdu : 0];
    }

    /** Number of telegrams reported so far. */
    public long count() {
        return count;
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
        llcSeen = false;
        rawDiscardUntil = -1;
        rawLost = false;
        assembling = false;
        discarding = false;
        telegramLength = 0;
        blocksLength = 0;
        nextBlock = 0;
        blockDiscarding = false;
    }

    public void feed(byte[] chunk) {
        feed(chunk, 0, chunk.length);
    }

    public void feed(byte[] chunk, int off, int len) {
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
        append(chunk, off, len);
        int stop = process(buf, start, end, offset, false);
        offset += stop - start;
        start = stop;
    }

    /** The stream has ended: reports a frame or telegram left incomplete. */
    public void finish() {
        int stop = process(buf, start, end, offset, true);
        offset += stop - start;
        start = end = 0;
        if ((assembling || nextBlock > 0) && !lastIncomplete) {
            emit(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, assembling ? telegramStart : blocksStart));
        }
        assembling = false;
        blocksLength = 0;
        nextBlock = 0;
        discarding = false;
        blockDiscarding = false;
    }

    private boolean lastIncomplete;

    private void append(byte[] chunk, int off, int len) {
        if (len == 0) {
            return;
        }
        if (start > 0 && end + len > buf.length) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end + len > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + len));
        }
        System.arraycopy(chunk, off, buf, end, len);
        end += len;
    }

    /** Scans {@code a[from, to)} whose first byte is at stream offset {@code base}; returns where it stopped. */
    private int process(byte[] a, int from, int to, long base, boolean atEnd) {
        int p = from;
        lastIncomplete = false;
        while (p < to) {
            framer.scan(a, p, to, atEnd, scan);
            switch (scan.kind) {
                case NEED_MORE:
                    return p;
                case SKIP:
                    p += scan.consumed;
                    break;
                case INCOMPLETE:
                    if (!lastIncomplete) {
                        lastIncomplete = true;
                        emit(new DecodeError(ErrorCode.TELEGRAM_INCOMPLETE, base + (p - from)));
                    }
                    p += scan.consumed;
                    break;
                case ERROR:
                    emit(new DecodeError(scan.error, base + (scan.errorPos - from)));
                    assembling = false;
                    discarding = scan.more || config.transport == DecoderConfig.Transport.MBUS;
                    blockDiscarding = true;
                    p += scan.consumed;
                    break;
                case FRAME:
                    // a raw APDU that does not decode was perhaps no APDU: look again one byte on
                    p += onFrame(a, base + (p - from)) ? scan.consumed : 1;
                    break;
                default:
                    throw new AssertionError(scan.kind);
            }
        }
        return p;
    }

    /** Handles a frame; false when it was a raw APDU that does not decode. */
    private boolean onFrame(byte[] a, long frameOffset) {
        int off = scan.payloadOff;
        int len = scan.payloadLen;
        switch (config.transport) {
            case MBUS -> {
                int segment = scan.segment;
                if (segment == 0) {
                    if (assembling) {
                        // the telegram being assembled never got its last segment
                        emit(new DecodeError(ErrorCode.MBUS_SEGMENT_SEQUENCE, telegramStart));
                    }
                    startTelegram(frameOffset);
                } else if (!assembling || segment != nextSegment) {
                    if (!discarding) {
                        emit(new DecodeError(ErrorCode.MBUS_SEGMENT_SEQUENCE, frameOffset));
                    }
                    assembling = false;
                    discarding = true;
                    return true;
                }
                nextSegment = (segment + 1) & 0x0F;
            }
            case HDLC -> {
                if (len == 0) {
                    return true;
                }
                boolean llc = len >= LLC_LENGTH && (a[off] & 0xFF) == 0xE6 && ((a[off + 1] & 0xFE) == 0xE6) && a[off + 2] == 0;
                if (config.llc == DecoderConfig.Llc.ABSENT) {
                    llc = false;
                }
                llcSeen |= llc;
                if (discarding && !llc && (llcSeen || config.llc == DecoderConfig.Llc.REQUIRED)) {
                    // a continuation of a telegram already reported as damaged; without LLC headers
                    // to tell one, a frame is taken as a new telegram, so none is lost
                    discarding = scan.more;
                    return true;
                }
                discarding = false;
                if (assembling && llc) {
                    emit(new DecodeError(ErrorCode.HDLC_SEGMENT_SEQUENCE, telegramStart));
                    assembling = false;
                }
                if (!assembling) {
                    if (!llc && config.llc == DecoderConfig.Llc.REQUIRED) {
                        emit(new DecodeError(ErrorCode.HDLC_LLC, frameOffset));
                        discarding = scan.more;
                        return true;
                    }
                    startTelegram(frameOffset);
                    if (llc) {
                        off += LLC_LENGTH;
                        len -= LLC_LENGTH;
                    }
                }
            }
            case RAW -> {
                return rawApdu(a, off, len, frameOffset);
            }
        }
        if (++frames > config.maxFrames) {
            emit(new DecodeError(ErrorCode.TOO_MANY_FRAMES, frameOffset));
            assembling = false;
            discarding = true;
            return true;
        }
        if (telegramLength + len > telegram.length) {
            emit(new DecodeError(ErrorCode.TELEGRAM_TOO_LONG, frameOffset));
            assembling = false;
            discarding = true;
            return true;
        }
        System.arraycopy(a, off, telegram, telegramLength, len);
        telegramLength += len;
        if (!scan.more) {
            assembling = false;
            onTelegram(telegram, telegramLength, telegramStart);
        }
        return true;
    }

    /**
     * A bare APDU. Without framing, a start byte in noise looks like an APDU; when one does not
     * decode, its error is reported once, and candidates starting inside it are not reported again.
     */
    private boolean rawApdu(byte[] a, int off, int len, long at) {
        if ((a[off] & 0xFF) == RawFramer.BLOCK_TRANSFER) {
            // a block cannot be decoded on its own; its numbering is what checks it
            System.arraycopy(a, off, telegram, 0, Math.min(len, telegram.length));
            onBlock(telegram, Math.min(len, telegram.length), at);
            return true;
        }
        if (nextBlock > 0) {
            emit(new DecodeError(ErrorCode.GBT_BLOCK_SEQUENCE, 0));
            blocksLength = 0;
            nextBlock = 0;
        }
        TelegramResult result = decoder.decodeApdu(a, off, len);
        if (result.isOk()) {
            rawLost = false;
            emit(result);
            return true;
        }
        if (at >= rawDiscardUntil && !rawLost) {
            emit(result);
        }
        // what the failed candidate covers must not depend on what happens to be buffered: a
        // measured APDU its own length, an unmeasurable one everything up to the next good APDU
        if (scan.unmeasured) {
            rawLost = true;
        } else {
            rawDiscardUntil = Math.max(rawDiscardUntil, at + len);
        }
        return false;
    }

    private void startTelegram(long at) {
        assembling = true;
        discarding = false;
        telegramStart = at;
        telegramLength = 0;
        frames = 0;
    }

    /** A complete transport telegram, starting at stream offset {@code at}: one APDU, or one block of a block transfer. */
    private void onTelegram(byte[] t, int len, long at) {
        if (len > 0 && (t[0] & 0xFF) == RawFramer.BLOCK_TRANSFER) {
            onBlock(t, len, at);
            return;
        }
        if (nextBlock > 0) {
            emit(new DecodeError(ErrorCode.GBT_BLOCK_SEQUENCE, 0));
            blocksLength = 0;
            nextBlock = 0;
        }
        blockDiscarding = false;
        emit(decoder.decodeApdu(t, 0, len));
    }

    /**
     * General-Block-Transfer: {@code E0 control block-number(2) block-number-ack(2) length data};
     * control bit 7 marks the last block. Blocks are numbered from 1 without gaps.
     */
    private void onBlock(byte[] t, int len, long at) {
        if (config.maxBlocks == 0) {
            emit(new DecodeError(ErrorCode.GBT_NOT_ALLOWED, 0));
            return;
        }
        if (len < 7) {
            emit(new DecodeError(ErrorCode.APDU_TRUNCATED, len));
            return;
        }
        boolean last = (t[1] & 0x80) != 0;
        int number = ((t[2] & 0xFF) << 8) | (t[3] & 0xFF);
        int q = 6;
        int first = t[q++] & 0xFF;
        int dataLength = first;
        if (first >= 0x80) {
            int n = first & 0x7F;
            if (n == 0 || n > 2 || q + n > len) {
                emit(new DecodeError(ErrorCode.APDU_TRUNCATED, 6));
                return;
            }
            dataLength = 0;
            for (int i = 0; i < n; i++) {
                dataLength = (dataLength << 8) | (t[q++] & 0xFF);
            }
        }
        if (q + dataLength != len) {
            emit(new DecodeError(q + dataLength > len ? ErrorCode.APDU_TRUNCATED : ErrorCode.APDU_TRAILING_BYTES,
                    Math.min(q + dataLength, len)));
            return;
        }
        if (number == 1) {
            if (nextBlock > 0 && !blockDiscarding) {
                emit(new DecodeError(ErrorCode.GBT_BLOCK_SEQUENCE, 2));
            }
            blocksLength = 0;
            nextBlock = 1;
            blockDiscarding = false;
            blocksStart = at;
        } else if (number != nextBlock || number == 0) {
            if (!blockDiscarding) {
                emit(new DecodeError(ErrorCode.GBT_BLOCK_SEQUENCE, 2));
            }
            blocksLength = 0;
            nextBlock = 0;
            blockDiscarding = true;
            return;
        }
        if (number > config.maxBlocks) {
            emit(new DecodeError(ErrorCode.GBT_TOO_MANY_BLOCKS, 2));
            blocksLength = 0;
            nextBlock = 0;
            blockDiscarding = true;
            return;
        }
        if (blocksLength + dataLength > blocks.length) {
            emit(new DecodeError(ErrorCode.TELEGRAM_TOO_LONG, 0));
            blocksLength = 0;
            nextBlock = 0;
            blockDiscarding = true;
            return;
        }
        System.arraycopy(t, q, blocks, blocksLength, dataLength);
        blocksLength += dataLength;
        nextBlock = number + 1;
        if (last) {
            int n = blocksLength;
            blocksLength = 0;
            nextBlock = 0;
            emit(decoder.decodeApdu(blocks, 0, n));
        }
    }

    private void emit(TelegramResult result) {
        listener.onTelegram(++count, result);
    }
}
