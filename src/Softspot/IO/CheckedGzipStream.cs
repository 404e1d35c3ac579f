using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Softspot.IO;

/// <summary>
/// Decompresses a gzip file (RFC 1952), one member after another, and verifies what .NET's GZipStream does not: that
/// every member ends with its trailer and that the trailer's CRC-32 and length (ISIZE) match the data. A file cut short
/// (inside the compressed data or its 8-byte trailer) or corrupted raises <see cref="GzipIntegrityException"/> when the
/// end of the data is reached, instead of passing for a complete file.
/// </summary>
/// <remarks>
/// Each member's deflate data is read through a <see cref="DeflateStream"/> fed in chunks of at most
/// <see cref="Chunk"/> bytes. The inflater stops at the end of its final block and reads no further, so the member's
/// trailer lies within the last chunk fed plus 8 bytes: it is found there by its content (the CRC-32 and length just
/// computed), which also locates the next member, if any. Trailing zero bytes (padding) are allowed, as gzip allows them.
/// </remarks>
internal sealed class CheckedGzipStream : ForwardReadStream
{
    private const int Chunk = 1 << 14;
    private readonly Stream _file;          // seekable
    private readonly long _length;
    private DeflateStream? _inflater;
    private readonly FeedStream _feed;
    private readonly Crc32 _crc = new();
    private long _memberBytes;               // decompressed bytes of the current member (mod 2^32 in the check)
    private bool _done;

    public CheckedGzipStream(Stream file)
    {
        _file = file;
        _length = file.Length;
        _feed = new FeedStream(file);
        StartMember(0);
    }

    private void StartMember(long offset)
    {
        _file.Position = offset;
        long dataStart = offset + HeaderLength(offset);
        _feed.Reset(dataStart);
        _inflater?.Dispose();
        _inflater = new DeflateStream(_feed, CompressionMode.Decompress, leaveOpen: true);
        _crc.Reset();
        _memberBytes = 0;
    }

    /// <summary>The length of the gzip member header at <paramref name="offset"/> (RFC 1952, 2.3.1).</summary>
    private int HeaderLength(long offset)
    {
        var head = new byte[10];
        ReadExactly(offset, head, "the gzip header");
        if (head[0] != 0x1f || head[1] != 0x8b) throw new GzipIntegrityException("not a gzip member where one should start (corrupt data)");
        if (head[2] != 8) throw new GzipIntegrityException($"unknown gzip compression method {head[2]} (corrupt data)");
        int flags = head[3];
        if ((flags & 0xe0) != 0) throw new GzipIntegrityException("reserved gzip header flags set (corrupt data)");
        long p = offset + 10;
        if ((flags & 4) != 0) // FEXTRA
        {
            var xlen = new byte[2];
            ReadExactly(p, xlen, "the gzip header");
            p += 2 + BinaryPrimitives.ReadUInt16LittleEndian(xlen);
        }
        if ((flags & 8) != 0) p = SkipZeroTerminated(p); // FNAME
        if ((flags & 16) != 0) p = SkipZeroTerminated(p); // FCOMMENT
        if ((flags & 2) != 0) p += 2; // FHCRC
        if (p > _length) throw Truncated();
        return (int)Math.Min(int.MaxValue, p - offset);
    }

    private long SkipZeroTerminated(long p)
    {
        _file.Position = p;
        int b;
        while ((b = _file.ReadByte()) > 0) { }
        if (b < 0) throw Truncated();
        return _file.Position;
    }

    private void ReadExactly(long offset, byte[] into, string what)
    {
        _file.Position = offset;
        int got = 0;
        while (got < into.Length)
        {
            int n = _file.Read(into, got, into.Length - got);
            if (n == 0) throw Truncated();
            got += n;
        }
    }

    private static GzipIntegrityException Truncated() =>
        new("truncated gzip stream (the file ends before its end-of-stream marker)");

    public override int Read(Span<byte> buffer)
    {
        if (_done || buffer.Length == 0) return 0;
        while (true)
        {
            int n;
            try { n = _inflater!.Read(buffer); }
            catch (InvalidDataException) { throw new GzipIntegrityException("corrupt gzip data (the compressed data is invalid)"); }
            if (n > 0)
            {
                _crc.Append(buffer[..n]);
                _memberBytes += n;
                return n;
            }
            // the member's data ended (or the file did): find and check its trailer, then go on with the next member
            long? next = FinishMember();
            if (next is null) { _done = true; return 0; }
            StartMember(next.Value);
        }
    }

    /// <summary>Checks the current member's trailer; the offset of the next member, or null at the end of the file.</summary>
    private long? FinishMember()
    {
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_memberBytes));
        long from = _feed.LastChunkStart, to = Math.Min(_length, _feed.LastChunkEnd + 8);
        var window = new byte[(int)(to - from)];
        ReadExactly(from, window, "the gzip trailer");
        int at = window.AsSpan().IndexOf(trailer);
        if (at < 0)
        {
            if (_feed.HitEnd) throw Truncated();
            throw new GzipIntegrityException(_feed.LastChunkEnd + 8 > _length
                ? "truncated or corrupt gzip stream (its trailer, CRC-32 and length, is cut short or does not match the data)"
                : "corrupt gzip data (the CRC-32 or length in its trailer does not match the data)");
        }
        long end = from + at + 8;
        if (end >= _length) return null;
        var magic = new byte[(int)Math.Min(2, _length - end)];
        ReadExactly(end, magic, "the next gzip member");
        if (magic.Length == 2 && magic[0] == 0x1f && magic[1] == 0x8b) return end;
        // gzip ignores trailing zero bytes (e.g. block padding); anything else is not part of a gzip file
        _file.Position = end;
        var rest = new byte[Chunk];
        int r;
        while ((r = _file.Read(rest)) > 0)
            if (rest.AsSpan(0, r).ContainsAnyExcept((byte)0)) throw new GzipIntegrityException("unexpected data after the end of the gzip stream (corrupt or not one gzip file)");
        return null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _inflater?.Dispose(); _file.Dispose(); }
        base.Dispose(disposing);
    }

    /// <summary>Hands the inflater the file from a position on, at most <see cref="Chunk"/> bytes a read, remembering the last chunk.</summary>
    private sealed class FeedStream(Stream file) : ForwardReadStream
    {
        private long _position;
        public long LastChunkStart { get; private set; }
        public long LastChunkEnd { get; private set; }
        /// <summary>True once the inflater asked for more than the file holds: its data ended before its last block did.</summary>
        public bool HitEnd { get; private set; }

        public void Reset(long position) { _position = LastChunkStart = LastChunkEnd = position; HitEnd = false; }

        public override int Read(Span<byte> buffer)
        {
            file.Position = _position;
            int n = file.Read(buffer[..Math.Min(buffer.Length, Chunk)]);
            if (n > 0)
            {
                LastChunkStart = _position;
                _position += n;
                LastChunkEnd = _position;
            }
            else if (buffer.Length > 0) HitEnd = true;
            return n;
        }

    }
}

/// <summary>A stream read once from start to end: everything but reading is unsupported.</summary>
internal abstract class ForwardReadStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public abstract override int Read(Span<byte> buffer);
}

/// <summary>A gzip file that is truncated or corrupt (the reader turns it into an <see cref="InputFormatException"/> naming the file).</summary>
internal sealed class GzipIntegrityException(string message) : IOException(message);
