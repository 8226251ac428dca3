"""The site's QR codes (one on every case page, for its print view), made fast: the same SVG
as segno's `make(url, error="m", mask=…).svg_inline(…)`, byte for byte, in a quarter of the time.

A cold build of 5,000 cases made 5,000 codes with segno at about 1.8 ms each, 9 s of CPU:
segno places every module, masks and writes the path in pure Python, one module at a time.
Here segno still decides everything a code is made of (mode, version, error level boost,
bit stream, format and version information), and only the work that is the same for every
code of a version is done once and kept: the function patterns with the format bits, the
order in which data modules are placed, the mask, and the Reed-Solomon code as a matrix over
GF(2) (the error correction bits are a linear function of the data bits). Per code that leaves
an array product, one indexed assignment and the path.

Uses segno's encoder module, which is not its public API: tests/unit/booklet/test_qrfast.py
compares the result with segno's own for codes of every size and every mask, so an update of
segno that changes either shows at once.
"""
from __future__ import annotations

import functools

import numpy as np
from segno import consts
from segno import encoder as enc


def code_svg(url: str, error: str, mask: int, border: int, svgclass: str) -> str:
    """segno.make(url, error=error, micro=False, mask=mask).svg_inline(omitsize=True,
    border=border, svgclass=svgclass, lineclass=None), made from cached parts."""
    version, level, bits = _message(url, error)
    width, frame, order, mask_bits = _frame(version, level, mask)
    modules = frame.copy()
    modules[order] = bits ^ mask_bits
    size = width + 2 * border
    return f'<svg viewBox="0 0 {size} {size}" class="{svgclass}"><path stroke="#000" d="{_path(modules, width, border)}"/></svg>'


def _message(url: str, error: str) -> tuple[int, int, np.ndarray]:
    """The version, error level and final bit stream (data and error correction codewords,
    interleaved, with remainder bits) segno would place for `url`."""
    segments = enc.prepare_data(url, None, None)
    level = enc.normalize_errorlevel(error)
    version = enc.find_version(segments, level, eci=False, micro=False)
    level = enc.boost_error_level(version, level, segments, False)
    buff = enc.Buffer()
    for segment in segments:
        enc.write_segment(buff, segment, None, enc.version_range(version), False)
    capacity = consts.SYMBOL_CAPACITY[version][level]
    enc.write_terminator(buff, capacity, None, len(buff))
    enc.write_padding_bits(buff, version, len(buff))
    enc.write_pad_codewords(buff, version, capacity, len(buff))
    data = np.frombuffer(bytes(buff), dtype=np.uint8)
    return version, level, _final_bits(data, version, level)


def _final_bits(data: np.ndarray, version: int, level: int) -> np.ndarray:
    """The data bits cut into blocks, each block's error correction bits, both interleaved by
    codeword as the standard (and segno's make_final_message) does, and the remainder bits."""
    data_blocks, error_blocks = [], []
    start = 0
    for info in consts.ECC[version][level]:
        parity = _parity_matrix(info.num_data, info.num_total - info.num_data)
        for _ in range(info.num_blocks):
            block = data[start:start + 8 * info.num_data]
            start += 8 * info.num_data
            data_blocks.append(block.reshape(-1, 8))
            error_blocks.append(((block.astype(np.float32) @ parity).astype(np.int64) & 1).astype(np.uint8).reshape(-1, 8))
    return np.concatenate([_interleaved(data_blocks), _interleaved(error_blocks),
                           np.zeros(_REMAINDER.get(version, 0), dtype=np.uint8)])


def _interleaved(blocks: list[np.ndarray]) -> np.ndarray:
    """Codeword 1 of every block, then codeword 2 …; shorter blocks drop out at their end."""
    longest = max(len(block) for block in blocks)
    return np.concatenate([block[i] for i in range(longest) for block in blocks if i < len(block)])


_REMAINDER = {**dict.fromkeys(range(2, 7), 7), **dict.fromkeys([*range(14, 21), *range(28, 35)], 3),
              **dict.fromkeys(range(21, 28), 4)}


@functools.lru_cache(maxsize=None)
def _parity_matrix(num_data: int, num_error: int) -> np.ndarray:
    """The Reed-Solomon code of a block as a (8 * num_data) x (8 * num_error) 0/1 matrix: row k
    is the error correction bits of the block whose only set bit is bit k. A block's bits times
    this matrix, mod 2, are its error correction bits (the code is linear)."""
    rows = np.zeros((8 * num_data, 8 * num_error), dtype=np.float32)
    for k in range(8 * num_data):
        block = bytearray(num_data)
        block[k // 8] = 0x80 >> (k % 8)
        rows[k] = np.unpackbits(np.frombuffer(_reed_solomon(block, num_error), dtype=np.uint8))
    return rows


def _reed_solomon(block: bytearray, num_error: int) -> bytes:
    """A block's error correction codewords: segno's make_blocks, for one block."""
    gen, log, exp = consts.GEN_POLY[num_error], consts.GALIOS_LOG, consts.GALIOS_EXP
    work = bytearray(block) + bytearray(num_error)
    for k in range(len(block)):
        if work[k]:
            factor = log[work[k]]
            for n in range(num_error):
                work[k + n + 1] ^= exp[factor + gen[n]]
    return bytes(work[len(block):])


@functools.lru_cache(maxsize=None)
def _frame(version: int, level: int, mask: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """(width, every module but the data ones as segno sets them, flattened; the data modules'
    indices in placement order; the mask's bit at each of them)."""
    width, order = _placement(version)
    matrix = enc.make_matrix(width, width)
    enc.add_finder_patterns(matrix, width, width)
    enc.add_alignment_patterns(matrix, width, width)
    for row in matrix:
        row[:] = row.replace(b"\x02", b"\x00")
    enc.add_format_info(matrix, version, level, mask)
    enc.add_version_info(matrix, version)
    frame = np.frombuffer(b"".join(matrix), dtype=np.uint8).copy()
    rows, cols = np.divmod(order, width)
    masked = enc.get_data_mask_functions(False)[mask]
    mask_bits = np.fromiter((masked(i, j) for i, j in zip(rows.tolist(), cols.tolist())), dtype=np.uint8, count=len(order))
    return width, frame, order, mask_bits


@functools.lru_cache(maxsize=None)
def _placement(version: int) -> tuple[int, np.ndarray]:
    """The modules data bits go to, in order: two-module columns from the right, up and down
    in turn, skipping the function patterns and the timing column (segno's add_codewords)."""
    width = enc.calc_matrix_size(version)
    matrix = enc.make_matrix(width, width)
    enc.add_finder_patterns(matrix, width, width)
    enc.add_alignment_patterns(matrix, width, width)
    order = []
    for right in range(width - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(width):
            for column in (right, right - 1):
                upwards = ((right & 2) == 0) ^ (column < 6)
                row = width - 1 - vertical if upwards else vertical
                if matrix[row][column] == 0x2:
                    order.append(row * width + column)
    return width, np.array(order, dtype=np.intp)


def _path(modules: np.ndarray, width: int, border: int) -> str:
    """segno's SVG path: each row's runs of dark modules as horizontal lines, every move
    relative to where the last line ended."""
    padded = np.zeros((width, width + 2), dtype=np.int8)
    padded[:, 1:-1] = modules.reshape(width, width)
    steps = np.diff(padded, axis=1)
    rows, starts = np.nonzero(steps == 1)
    ends = np.nonzero(steps == -1)[1]
    parts = []
    x = y = 0
    for row, start, end in zip(rows.tolist(), starts.tolist(), ends.tolist()):
        row += border
        start += border
        parts.append(f"m{start - x} {row - y}h{end - start + border}" if parts else f"M{start} {row}.5h{end - start + border}")
        x, y = end + border, row
    return "".join(parts)
