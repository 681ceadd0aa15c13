/** The Luhn (mod 10) check: payment references carry its check digit, card numbers end in it. */

/** The Luhn sum of a string of digits, doubling every second digit from the right. */
function luhnSum(digits: string, doubleRightmost: boolean): number {
  let sum = 0;
  for (let i = digits.length - 1, double = doubleRightmost; i >= 0; i--, double = !double) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum;
}

/** The Luhn check digit to append to a string of digits. */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError("digits only");
  return (10 - (luhnSum(digits, true) % 10)) % 10;
}

/** Whether a number that ends in its check digit (a card number; digits only) passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  return luhnSum(digits, false) % 10 === 0;
}
