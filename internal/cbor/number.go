package cbor

import (
	"math"
	"reflect"
)

// appendHead appends the head of an item of the given major type with the
// shortest encoding of arg (RFC 8949 preferred serialization).
func appendHead(b []byte, major byte, arg uint64) []byte {
	m := major << 5
	switch {
	case arg < aiOneByte:
		return append(b, m|byte(arg))
	case arg <= math.MaxUint8:
		return append(b, m|aiOneByte, byte(arg))
	case arg <= math.MaxUint16:
		return append(b, m|aiTwoBytes, byte(arg>>8), byte(arg))
	case arg <= math.MaxUint32:
		return append(b, m|aiFourBytes, byte(arg>>24), byte(arg>>16), byte(arg>>8), byte(arg))
	}
	return append(b, m|aiEightBytes, byte(arg>>56), byte(arg>>48), byte(arg>>40), byte(arg>>32),
		byte(arg>>24), byte(arg>>16), byte(arg>>8), byte(arg))
}

// appendInt appends n as major type 0 or 1.
func appendInt(b []byte, n int64) []byte {
	if n < 0 {
		return appendHead(b, majorNegInt, uint64(-1-n))
	}
	return appendHead(b, majorUint, uint64(n))
}

// appendFloat appends f in the shortest of the half, single and double
// forms that represents it exactly. Every NaN is written as the canonical
// half-precision quiet NaN f9 7e00 (RFC 8949 section 4.2.2).
func appendFloat(b []byte, f float64) []byte {
	if f != f {
		return append(b, 0xf9, 0x7e, 0x00)
	}
	f32 := float32(f)
	if float64(f32) != f {
		return appendDouble(b, f)
	}
	if h, ok := float16Exact(f32); ok {
		return append(b, 0xf9, byte(h>>8), byte(h))
	}
	bits := math.Float32bits(f32)
	return append(b, 0xfa, byte(bits>>24), byte(bits>>16), byte(bits>>8), byte(bits))
}

// appendDouble appends f in the 8-byte form.
func appendDouble(b []byte, f float64) []byte {
	bits := math.Float64bits(f)
	return append(b, 0xfb, byte(bits>>56), byte(bits>>48), byte(bits>>40), byte(bits>>32),
		byte(bits>>24), byte(bits>>16), byte(bits>>8), byte(bits))
}

// float16Exact returns the IEEE 754 half-precision bits of f when f, which
// is not NaN, has an exact half-precision representation.
func float16Exact(f float32) (uint16, bool) {
	bits := math.Float32bits(f)
	sign := uint16(bits>>16) & 0x8000
	exp := int(bits>>23&0xff) - 127
	mant := bits & 0x7fffff
	switch {
	case bits&0x7fffffff == 0: // zero
		return sign, true
	case exp == 128: // infinity (NaN is handled by the caller)
		return sign | 0x7c00, true
	case exp >= -14 && exp <= 15: // normal half: 10 mantissa bits
		if mant&0x1fff != 0 {
			return 0, false
		}
		return sign | uint16(exp+15)<<10 | uint16(mant>>13), true
	case exp >= -24 && exp < -14: // subnormal half: value = m * 2^-24
		sig := mant | 0x800000    // 24-bit significand, value sig * 2^(exp-23)
		shift := uint(-(exp + 1)) // m = sig * 2^(exp+1)
		if sig&(1<<shift-1) != 0 {
			return 0, false
		}
		return sign | uint16(sig>>shift), true
	}
	return 0, false
}

// float16ToFloat64 widens IEEE 754 half-precision bits.
func float16ToFloat64(h uint16) float64 {
	exp := int(h >> 10 & 0x1f)
	mant := float64(h & 0x3ff)
	var f float64
	switch exp {
	case 0:
		f = math.Ldexp(mant, -24)
	case 0x1f:
		if mant == 0 {
			f = math.Inf(1)
		} else {
			f = math.NaN()
		}
	default:
		f = math.Ldexp(mant+1024, exp-25)
	}
	if h&0x8000 != 0 {
		f = math.Copysign(f, -1)
	}
	return f
}

// floatOf returns the value of a float head (half, single or double).
func floatOf(h header) (float64, bool) {
	if h.major != majorSimple {
		return 0, false
	}
	switch h.ai {
	case aiTwoBytes:
		return float16ToFloat64(uint16(h.arg)), true
	case aiFourBytes:
		return float64(math.Float32frombits(uint32(h.arg))), true
	case aiEightBytes:
		return math.Float64frombits(h.arg), true
	}
	return 0, false
}

// number stores the numeric item with head h (content at p) in v, a
// numeric kind. Integers go into any numeric kind they fit; floats go into
// float kinds (float32 only if the magnitude fits) and into integer kinds
// when integral and in range. Anything else is an *UnmarshalTypeError.
func (d *decoder) number(v reflect.Value, h header, p int) error {
	f, isFloat := floatOf(h)
	if !isFloat && h.major != majorUint && h.major != majorNegInt {
		return d.typeErr(h, v.Type())
	}
	neg := h.major == majorNegInt // value is -1 - h.arg
	ok := true
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		limit := uint64(1)<<(v.Type().Bits()-1) - 1 // MaxIntN; MinIntN is -1-limit
		switch {
		case isFloat:
			lo, hi := -float64(limit)-1, float64(limit)+1
			if ok = f == math.Trunc(f) && f >= lo && f < hi; ok {
				v.SetInt(int64(f))
			}
		case neg:
			if ok = h.arg <= limit; ok {
				v.SetInt(-1 - int64(h.arg))
			}
		default:
			if ok = h.arg <= limit; ok {
				v.SetInt(int64(h.arg))
			}
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		bits := v.Type().Bits()
		switch {
		case isFloat:
			if ok = f == math.Trunc(f) && f >= 0 && f < math.Ldexp(1, bits); ok {
				v.SetUint(uint64(f))
			}
		case neg:
			ok = false
		default:
			if ok = bits == 64 || h.arg < uint64(1)<<bits; ok {
				v.SetUint(h.arg)
			}
		}
	default: // Float32, Float64
		switch {
		case isFloat:
		case neg:
			f = -float64(h.arg) - 1
		default:
			f = float64(h.arg)
		}
		if ok = v.Kind() == reflect.Float64 || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) <= math.MaxFloat32; ok {
			v.SetFloat(f)
		}
	}
	if !ok {
		return d.typeErr(h, v.Type())
	}
	d.off = p
	return nil
}
