//! Password hashing (Argon2id) and opaque bearer tokens, which the database keeps only as SHA-256 hashes.
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

#[derive(Clone)]
pub struct Passwords {
    params: Params,
    /// Verified against when an e-mail is unknown, so that a login takes as long whether or not the account exists.
    decoy_hash: String,
}

impl Passwords {
    pub fn new(memory_kib: u32, iterations: u32) -> Result<Self, HashError> {
        let params = Params::new(memory_kib, iterations, 1, None).map_err(|e| HashError(e.to_string()))?;
        let mut passwords = Self { params, decoy_hash: String::new() };
        passwords.decoy_hash = passwords.hash("decoy password, never valid")?;
        Ok(passwords)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub fn hash(&self, password: &str) -> Result<String, HashError> {
        self.argon2().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| HashError(e.to_string()))
    }

    /// Checks a password against a stored hash (or against the decoy when there is none).
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let hash = stored.unwrap_or(&self.decoy_hash);
        let Ok(parsed) = PasswordHash::new(hash) else {
            return false;
        };
        let ok = self.argon2().verify_password(password.as_bytes(), &parsed).is_ok();
        ok && stored.is_some()
    }
}

/// A new random bearer token: 256 bits, hex-encoded, with a prefix that secret scanners can recognise.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("tdm_{}", hex::encode(bytes)))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_password() {
        let passwords = Passwords::new(256, 1).expect("valid params");
        let hash = passwords.hash("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(passwords.verify("correct horse battery", Some(&hash)));
        assert!(!passwords.verify("wrong horse battery", Some(&hash)));
        assert!(!passwords.verify("decoy password, never valid", None));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token().expect("token");
        let b = new_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
