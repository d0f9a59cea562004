//! The S3-compatible object store behind [`Storage`] (`object_store`'s
//! S3 client): `EPOP_STORAGE_URL=s3://bucket?endpoint=…&region=…`, or
//! `s3://bucket/some/prefix?…` to keep the files under a prefix (several
//! installations in one bucket); the credentials from the usual
//! `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`),
//! which must be set: no other source is tried (no silent call to a cloud's
//! metadata address). Plain http is accepted for
//! an endpoint on this machine (a test server, a local MinIO) or when the
//! URL says `allow_http=true`; anywhere else it must be https.
//!
//! A store that does not answer fails within seconds (short connection
//! timeout, two retries), so that a page says « momentanément
//! indisponibles » instead of hanging.

use std::io;
use std::time::Duration;

use futures_util::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{
    BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig,
};

use super::{Pending, Storage, check_key};

/// Files kept in an S3-compatible bucket, one object per key.
pub struct ObjectStorage {
    store: Box<dyn ObjectStore>,
    label: String,
}

/// The settings an `s3://` URL may carry.
const SETTINGS: [&str; 3] = ["endpoint", "region", "allow_http"];

impl ObjectStorage {
    /// The store an `s3://bucket?endpoint=…&region=…` URL names, with the
    /// credentials of the environment.
    pub fn from_url(url: &str) -> Result<Self, String> {
        Self::from_url_and(url, |name| std::env::var(name).ok())
    }

    /// The same, with the `AWS_*` variables read through `env`.
    pub fn from_url_and(url: &str, env: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let bad = |why: &str| format!("EPOP_STORAGE_URL invalide ({url}) : {why}");
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| bad("elle doit commencer par s3://"))?;
        let (bucket, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (bucket, prefix) = bucket.split_once('/').unwrap_or((bucket, ""));
        let prefix = prefix.trim_end_matches('/');
        if bucket.is_empty() {
            return Err(bad("le nom du bucket manque"));
        }
        if !prefix.is_empty() && check_key(prefix).is_err() {
            return Err(bad(
                "le préfixe ne peut contenir que des lettres sans accent, des chiffres, « - _ . / »",
            ));
        }
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query).map_err(|e| bad(&e.to_string()))?;
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        if let Some((k, _)) = pairs.iter().find(|(k, _)| !SETTINGS.contains(&k.as_str())) {
            return Err(bad(&format!(
                "réglage « {k} » inconnu (connus : {})",
                SETTINGS.join(", ")
            )));
        }
        let (Some(key_id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"))
        else {
            return Err(bad(
                "définissez AWS_ACCESS_KEY_ID et AWS_SECRET_ACCESS_KEY (les identifiants du stockage)",
            ));
        };
        let mut builder = AmazonS3Builder::new()
            .with_access_key_id(key_id)
            .with_secret_access_key(secret)
            .with_bucket_name(bucket)
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(3))
                    .with_timeout(Duration::from_secs(30)),
            )
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: 2,
                retry_timeout: Duration::from_secs(10),
            });
        if let Some(token) = env("AWS_SESSION_TOKEN") {
            builder = builder.with_token(token);
        }
        let region = get("region")
            .map(str::to_owned)
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"));
        if let Some(region) = region {
            builder = builder.with_region(region);
        }
        if let Some(endpoint) = get("endpoint") {
            let plain = endpoint.starts_with("http://");
            if plain && !is_loopback(endpoint) && get("allow_http") != Some("true") {
                return Err(bad(
                    "un point d’accès http:// n’est accepté que sur cette machine \
                     (127.0.0.1, localhost) ou avec allow_http=true",
                ));
            }
            builder = builder.with_endpoint(endpoint).with_allow_http(plain);
        }
        let store = builder.build().map_err(|e| bad(&e.to_string()))?;
        let store: Box<dyn ObjectStore> = if prefix.is_empty() {
            Box::new(store)
        } else {
            Box::new(PrefixStore::new(store, prefix))
        };
        let shown = if prefix.is_empty() {
            bucket.to_owned()
        } else {
            format!("{bucket}/{prefix}")
        };
        Ok(ObjectStorage {
            store,
            label: format!(
                "bucket S3 {shown}{}",
                get("endpoint")
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            ),
        })
    }
}

/// `http://127.0.0.1:9000`, `http://localhost`, `http://[::1]:9000`.
fn is_loopback(endpoint: &str) -> bool {
    let host = endpoint
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default();
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// An object store's error as an I/O error, `NotFound` kept.
fn io_error(e: object_store::Error) -> io::Error {
    match e {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, e),
        e => io::Error::other(e),
    }
}

fn object_path(key: &str) -> io::Result<ObjectPath> {
    Ok(ObjectPath::from(check_key(key)?))
}

impl Storage for ObjectStorage {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> Pending<'a, ()> {
        Box::pin(async move {
            let path = object_path(key)?;
            // One PUT: S3 shows the whole object or nothing.
            self.store
                .put(&path, PutPayload::from(bytes.to_vec()))
                .await
                .map_err(io_error)?;
            Ok(())
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> Pending<'a, Vec<u8>> {
        Box::pin(async move {
            let path = object_path(key)?;
            let found = self.store.get(&path).await.map_err(io_error)?;
            Ok(found.bytes().await.map_err(io_error)?.to_vec())
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> Pending<'a, ()> {
        Box::pin(async move {
            match self.store.delete(&object_path(key)?).await {
                Err(object_store::Error::NotFound { .. }) | Ok(()) => Ok(()),
                Err(e) => Err(io_error(e)),
            }
        })
    }

    fn list(&self) -> Pending<'_, Vec<(String, u64)>> {
        Box::pin(async move {
            let mut objects = self.store.list(None);
            let mut found = Vec::new();
            while let Some(meta) = objects.next().await {
                let meta = meta.map_err(io_error)?;
                found.push((meta.location.to_string(), meta.size));
            }
            found.sort();
            Ok(found)
        })
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(url: &str) -> Result<ObjectStorage, String> {
        ObjectStorage::from_url_and(url, |name| Some(format!("essai-{name}")))
    }

    #[test]
    fn an_s3_url_names_its_bucket_and_plain_http_stays_on_this_machine() {
        let ok = open("s3://epop?endpoint=http://127.0.0.1:9000&region=fr");
        assert_eq!(
            ok.map(|s| s.describe()).unwrap(),
            "bucket S3 epop (http://127.0.0.1:9000)"
        );
        assert!(open("s3://epop?endpoint=http://[::1]:9000").is_ok());
        let prefixed = open("s3://epop/region-31/?region=fr").unwrap();
        assert_eq!(prefixed.describe(), "bucket S3 epop/region-31");
        assert!(open("s3://epop/../x").is_err());
        let far = open("s3://epop?endpoint=http://stockage.example:9000")
            .err()
            .unwrap();
        assert!(far.contains("n’est accepté que sur cette machine"), "{far}");
        assert!(open("s3://epop?endpoint=http://stockage.example:9000&allow_http=true").is_ok());
        let unknown = open("s3://epop?endpont=x").err().unwrap();
        assert!(unknown.contains("« endpont » inconnu"), "{unknown}");
        assert!(open("s3://?region=fr").is_err());
        assert!(open("https://epop").is_err());
        let no_keys = ObjectStorage::from_url_and("s3://epop", |_| None)
            .err()
            .unwrap();
        assert!(no_keys.contains("AWS_ACCESS_KEY_ID"), "{no_keys}");
    }
}
