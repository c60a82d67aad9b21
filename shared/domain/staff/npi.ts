/**
 * The NPI check digit: CMS defines it as the Luhn check digit of the nine leading digits
 * prefixed with `80840` (the NPI's ISO 7812 card-issuer prefix), so a typo in any one digit,
 * or two neighbours swapped, is caught before a primary-source check is wasted on it.
 */

/** Whether the digits pass the Luhn check (the last digit is the check digit). */
const luhnValid = (digits: string): boolean => {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    const digit = Number(digits[digits.length - 1 - index]);
    const doubled = index % 2 === 1 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return sum % 10 === 0;
};

export const NPI_PREFIX = '80840';

/** Ten digits whose last is the Luhn check digit over `80840` + the first nine. */
export const isValidNpi = (npi: string): boolean => /^\d{10}$/.test(npi) && luhnValid(`${NPI_PREFIX}${npi}`);
