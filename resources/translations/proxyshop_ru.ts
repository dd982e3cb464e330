<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>ActivityLog</name>
    <message>
        <source>Event kind filter</source>
        <translation>Фильтр по типу события</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Все события</translation>
    </message>
    <message>
        <source>Search the activity log</source>
        <translation>Поиск по журналу</translation>
    </message>
    <message>
        <source>Search messages and order ids</source>
        <translation>Поиск по сообщениям и ID покупок</translation>
    </message>
    <message>
        <source>Operator filter</source>
        <translation>Фильтр по оператору</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>Failures only</source>
        <translation>Только ошибки</translation>
    </message>
    <message>
        <source>Activity log</source>
        <translation>Журнал событий</translation>
    </message>
    <message>
        <source>Could not load the activity log: {0}</source>
        <translation>Не удалось загрузить журнал событий: {0}</translation>
    </message>
    <message numerus="yes">
        <source>%Ln events</source>
        <translation>
            <numerusform>%Ln событие</numerusform>
            <numerusform>%Ln события</numerusform>
            <numerusform>%Ln событий</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ActivityModel</name>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>ID Покупки</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Прокси</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>успешно</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
</context>
<context>
    <name>AlertsPage</name>
    <message>
        <source>Telegram chat id</source>
        <translation>ID чата Telegram</translation>
    </message>
    <message>
        <source>Proxy for Telegram</source>
        <translation>Прокси для Telegram</translation>
    </message>
    <message>
        <source>Bot API URL</source>
        <translation>Адрес Bot API</translation>
    </message>
    <message>
        <source>Alert events</source>
        <translation>События для оповещений</translation>
    </message>
    <message>
        <source>Failed syncs before an alert</source>
        <translation>Неудачных синхронизаций до оповещения</translation>
    </message>
    <message>
        <source>Pending order alert after</source>
        <translation>Оповещать о зависшей покупке через</translation>
    </message>
    <message>
        <source>Daily summary at</source>
        <translation>Ежедневная сводка в</translation>
    </message>
    <message>
        <source>Sync failing, and recovered</source>
        <translation>Синхронизация не работает и восстановилась</translation>
    </message>
    <message>
        <source>Purchase refused: provider balance too low</source>
        <translation>Покупка отклонена: недостаточно средств на балансе провайдера</translation>
    </message>
    <message>
        <source>Order stuck pending</source>
        <translation>Покупка зависла в ожидании</translation>
    </message>
    <message>
        <source>Refund outcome unknown</source>
        <translation>Исход возврата неизвестен</translation>
    </message>
    <message>
        <source>Daily summary</source>
        <translation>Ежедневная сводка</translation>
    </message>
    <message>
        <source>-1001234567890 or @channel</source>
        <translation>-1001234567890 или @канал</translation>
    </message>
    <message>
        <source>Telegram bot token</source>
        <translation>Токен бота Telegram</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>без изменений</translation>
    </message>
    <message>
        <source>none; or socks5://host:port, http://host:port</source>
        <translation>нет; или socks5://хост:порт, http://хост:порт</translation>
    </message>
    <message>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <source>Send test message</source>
        <translation>Отправить тестовое сообщение</translation>
    </message>
    <message>
        <source>Chat id:</source>
        <translation>ID чата:</translation>
    </message>
    <message>
        <source>Bot token:</source>
        <translation>Токен бота:</translation>
    </message>
    <message>
        <source>Proxy:</source>
        <translation>Прокси:</translation>
    </message>
    <message>
        <source>Failed syncs before an alert:</source>
        <translation>Неудачных синхронизаций до оповещения:</translation>
    </message>
    <message>
        <source>Pending order alert after:</source>
        <translation>Оповещать о зависшей покупке через:</translation>
    </message>
    <message>
        <source>Daily summary at (HH:MM):</source>
        <translation>Ежедневная сводка в (ЧЧ:ММ):</translation>
    </message>
    <message>
        <source>Send these events:</source>
        <translation>Отправлять события:</translation>
    </message>
    <message>
        <source>set by {0}</source>
        <translation>задан через {0}</translation>
    </message>
    <message>
        <source>The bot token is set by {0}.</source>
        <translation>Токен бота задан через {0}.</translation>
    </message>
    <message>
        <source>No usable OS keyring: export {0} instead.</source>
        <translation>Нет доступного хранилища ключей ОС: задайте переменную окружения {0}.</translation>
    </message>
    <message>
        <source>A bot token is stored in the OS keyring.</source>
        <translation>Токен бота хранится в хранилище ключей ОС.</translation>
    </message>
    <message>
        <source>No bot token yet: create a bot with @BotFather and paste its token.</source>
        <translation>Токена бота ещё нет: создайте бота через @BotFather и вставьте его токен.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Отправка…</translation>
    </message>
    <message>
        <source>✓ Sent: check the Telegram chat.</source>
        <translation>✓ Отправлено: проверьте чат Telegram.</translation>
    </message>
</context>
<context>
    <name>Cleartext</name>
    <message>
        <source>Unencrypted connection</source>
        <translation>Незашифрованное соединение</translation>
    </message>
    <message>
        <source>{0} is plain http to another machine: the API token and every sold credential will cross the network unencrypted, readable by anyone on the way.</source>
        <translation>{0} — обычный http к другой машине: API-токен и все проданные учётные данные будут передаваться по сети без шифрования, их сможет прочитать любой на пути.</translation>
    </message>
    <message>
        <source>Use https if the provider offers it. Save this URL anyway?</source>
        <translation>Используйте https, если провайдер его поддерживает. Всё равно сохранить этот адрес?</translation>
    </message>
</context>
<context>
    <name>CleartextMarker</name>
    <message>
        <source>⚠ Unencrypted (http)</source>
        <translation>⚠ Без шифрования (http)</translation>
    </message>
    <message>
        <source>The provider URL {0} is plain http to another machine: the API token and every sold credential cross the network unencrypted. Use https if the provider offers it.</source>
        <translation>Адрес провайдера {0} — обычный http к другой машине: API-токен и все проданные учётные данные передаются по сети без шифрования. Используйте https, если провайдер его поддерживает.</translation>
    </message>
    <message>
        <source>Connection to the provider is unencrypted</source>
        <translation>Соединение с провайдером не зашифровано</translation>
    </message>
</context>
<context>
    <name>CliCounted</name>
    <message numerus="yes">
        <source>%Ln proxies</source>
        <extracomment>QLocale&apos;s Russian separators: a no-break space between thousands, a comma before decimals</extracomment>
        <translation>
            <numerusform>%Ln прокси</numerusform>
            <numerusform>%Ln прокси</numerusform>
            <numerusform>%Ln прокси</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln orders</source>
        <translation>
            <numerusform>%Ln покупка</numerusform>
            <numerusform>%Ln покупки</numerusform>
            <numerusform>%Ln покупок</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln sold orders</source>
        <translation>
            <numerusform>%Ln проданная покупка</numerusform>
            <numerusform>%Ln проданные покупки</numerusform>
            <numerusform>%Ln проданных покупок</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln sold.</source>
        <translation>
            <numerusform>Продан %Ln прокси.</numerusform>
            <numerusform>Продано %Ln прокси.</numerusform>
            <numerusform>Продано %Ln прокси.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %Ln countries</source>
        <translation>
            <numerusform>в %Ln стране</numerusform>
            <numerusform>в %Ln странах</numerusform>
            <numerusform>в %Ln странах</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %Ln pages</source>
        <translation>
            <numerusform>на %Ln странице</numerusform>
            <numerusform>на %Ln страницах</numerusform>
            <numerusform>на %Ln страницах</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln purchases recovered</source>
        <translation>
            <numerusform>восстановлена %Ln покупка</numerusform>
            <numerusform>восстановлено %Ln покупки</numerusform>
            <numerusform>восстановлено %Ln покупок</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln pending orders settled</source>
        <translation>
            <numerusform>завершена %Ln ожидающая покупка</numerusform>
            <numerusform>завершены %Ln ожидающие покупки</numerusform>
            <numerusform>завершено %Ln ожидающих покупок</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln voided</source>
        <translation>
            <numerusform>%Ln аннулирована</numerusform>
            <numerusform>%Ln аннулированы</numerusform>
            <numerusform>%Ln аннулировано</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The provider does not know %Ln local orders:</source>
        <translation>
            <numerusform>Провайдер не знает %Ln локальную покупку:</numerusform>
            <numerusform>Провайдер не знает %Ln локальные покупки:</numerusform>
            <numerusform>Провайдер не знает %Ln локальных покупок:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Counted</name>
    <message numerus="yes">
        <source>%n days ago</source>
        <translation>
            <numerusform>%n день назад</numerusform>
            <numerusform>%n дня назад</numerusform>
            <numerusform>%n дней назад</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing… saving %Ln proxies</source>
        <translation>
            <numerusform>Синхронизация… сохранение %Ln прокси</numerusform>
            <numerusform>Синхронизация… сохранение %Ln прокси</numerusform>
            <numerusform>Синхронизация… сохранение %Ln прокси</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing… confirming a large removal: page {0} · %Ln proxies</source>
        <translation>
            <numerusform>Синхронизация… проверка большого удаления: страница {0} · %Ln прокси</numerusform>
            <numerusform>Синхронизация… проверка большого удаления: страница {0} · %Ln прокси</numerusform>
            <numerusform>Синхронизация… проверка большого удаления: страница {0} · %Ln прокси</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing… page {0} of {1} · %Ln proxies</source>
        <translation>
            <numerusform>Синхронизация… страница {0} из {1} · %Ln прокси</numerusform>
            <numerusform>Синхронизация… страница {0} из {1} · %Ln прокси</numerusform>
            <numerusform>Синхронизация… страница {0} из {1} · %Ln прокси</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncing… page {0} · %Ln proxies</source>
        <translation>
            <numerusform>Синхронизация… страница {0} · %Ln прокси</numerusform>
            <numerusform>Синхронизация… страница {0} · %Ln прокси</numerusform>
            <numerusform>Синхронизация… страница {0} · %Ln прокси</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Synced {0} · %Ln proxies (+{1} −{2})</source>
        <translation>
            <numerusform>Синхронизировано {0} · %Ln прокси (+{1} −{2})</numerusform>
            <numerusform>Синхронизировано {0} · %Ln прокси (+{1} −{2})</numerusform>
            <numerusform>Синхронизировано {0} · %Ln прокси (+{1} −{2})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{0}: %Ln proxies</source>
        <translation>
            <numerusform>{0}: %Ln прокси</numerusform>
            <numerusform>{0}: %Ln прокси</numerusform>
            <numerusform>{0}: %Ln прокси</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CredentialsDialog</name>
    <message>
        <source>Sold credentials</source>
        <extracomment>a QLineEdit&apos;s frame and inner margins around its text, in pixels (Qt: 2 x (frame 2 + margin 2))</extracomment>
        <translation>Данные проданных прокси</translation>
    </message>
    <message>
        <source>Copy all</source>
        <translation>Копировать всё</translation>
    </message>
    <message>
        <source>Copy all credentials</source>
        <translation>Копировать все данные доступа</translation>
    </message>
    <message>
        <source>all lines</source>
        <translation>все строки</translation>
    </message>
    <message>
        <source>No proxy was sold.</source>
        <translation>Ни один прокси не продан.</translation>
    </message>
    <message>
        <source>{0} sold · {1} in total. Send the customer the line ip:port:login:password.</source>
        <translation>Продано: {0} · на сумму {1}. Отправьте клиенту строку ip:port:login:password.</translation>
    </message>
    <message>
        <source>Pending: the provider&apos;s answer was lost. Use Reconcile in the Sales tab to settle it.</source>
        <translation>Ожидает: ответ провайдера потерян. Выполните сверку на вкладке «Продажи».</translation>
    </message>
    <message>
        <source>Credentials of {0}</source>
        <translation>Данные доступа {0}</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <source>IP</source>
        <translation>IP</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Copy {0} of {1}</source>
        <translation>Копировать {0} — покупка {1}</translation>
    </message>
    <message>
        <source>Copy to the clipboard</source>
        <translation>Копировать в буфер обмена</translation>
    </message>
    <message>
        <source>Not sold ({0}):</source>
        <translation>Не продано ({0}):</translation>
    </message>
    <message>
        <source>• product {0}: {1}</source>
        <translation>• товар {0}: {1}</translation>
    </message>
    <message>
        <source>Copied {0} to the clipboard.</source>
        <translation>Скопировано в буфер обмена: {0}.</translation>
    </message>
</context>
<context>
    <name>DatabasePage</name>
    <message>
        <source>Database URL</source>
        <translation>Адрес базы данных</translation>
    </message>
    <message>
        <source>Operator name</source>
        <translation>Имя оператора</translation>
    </message>
    <message>
        <source>empty: this computer&apos;s own database file</source>
        <translation>пусто: собственный файл базы на этом компьютере</translation>
    </message>
    <message>
        <source>postgresql://user@host:port/dbname shares one shop between several computers; the password goes to the keyring (proxyshop-desktop db-password set) or ~/.pgpass. A new database takes effect at the next start.</source>
        <translation>postgresql://user@host:port/dbname — один магазин на несколько компьютеров; пароль хранится в связке ключей (proxyshop-desktop db-password set) или в ~/.pgpass. Новая база начнёт работать при следующем запуске.</translation>
    </message>
    <message>
        <source>Test database</source>
        <translation>Проверить базу</translation>
    </message>
    <message>
        <source>Database URL:</source>
        <translation>Адрес базы данных:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Пароль:</translation>
    </message>
    <message>
        <source>Operator name:</source>
        <translation>Имя оператора:</translation>
    </message>
    <message>
        <source>Database password</source>
        <translation>Пароль базы данных</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>без изменений</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Clear the stored database password</source>
        <translation>Удалить сохранённый пароль базы данных</translation>
    </message>
    <message>
        <source>Checking the keyring…</source>
        <translation>Проверка хранилища ключей…</translation>
    </message>
    <message>
        <source>set by {0}</source>
        <translation>задан через {0}</translation>
    </message>
    <message>
        <source>The password is set by {0} (it overrides the keyring).</source>
        <translation>Пароль задан через {0} (он важнее хранилища ключей).</translation>
    </message>
    <message>
        <source>no keyring</source>
        <translation>нет хранилища ключей</translation>
    </message>
    <message>
        <source>No usable OS keyring on this machine ({0}), so the password cannot be saved here. Put it in ~/.pgpass instead (one line host:port:dbname:user:password, the file readable by you only: chmod 600), or export {1} in the environment that starts ProxyShop.</source>
        <translation>На этой машине нет рабочего хранилища ключей ОС ({0}), поэтому пароль здесь не сохранить. Вместо этого запишите его в ~/.pgpass (строка host:port:dbname:user:password, файл доступен только вам: chmod 600) или задайте {1} в окружении, из которого запускается ProxyShop.</translation>
    </message>
    <message>
        <source>A database password is stored in the OS keyring. Type a new one to replace it, or Clear it.</source>
        <translation>Пароль базы данных хранится в хранилище ключей ОС. Введите новый, чтобы заменить его, или удалите его.</translation>
    </message>
    <message>
        <source>No database password in the keyring: libpq&apos;s ~/.pgpass is used when it has a matching line. Type one to store it in the keyring.</source>
        <translation>В хранилище ключей нет пароля базы данных: используется ~/.pgpass библиотеки libpq, если в нём есть подходящая строка. Введите пароль, чтобы сохранить его в хранилище ключей.</translation>
    </message>
    <message>
        <source>The database password was removed from the OS keyring; it takes effect at the next start.</source>
        <translation>Пароль базы данных удалён из хранилища ключей ОС; это вступит в силу при следующем запуске.</translation>
    </message>
    <message>
        <source>No database password was stored.</source>
        <translation>Пароль базы данных не был сохранён.</translation>
    </message>
    <message>
        <source>Database URL: remove the password from it; store it with proxyshop-desktop db-password set, or in ~/.pgpass.</source>
        <translation>Адрес базы данных: уберите из него пароль; сохраните его командой proxyshop-desktop db-password set или в ~/.pgpass.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Проверка…</translation>
    </message>
    <message>
        <source>This computer&apos;s own database file (SQLite).</source>
        <translation>Собственный файл базы на этом компьютере (SQLite).</translation>
    </message>
</context>
<context>
    <name>DemoActions</name>
    <message>
        <source>&amp;Demo</source>
        <translation>&amp;Демо</translation>
    </message>
    <message>
        <source>Simulate outage of a sold proxy</source>
        <translation>Имитировать отказ проданного прокси</translation>
    </message>
    <message>
        <source>Churn 5% of the catalogue</source>
        <translation>Обновить 5 % каталога</translation>
    </message>
    <message>
        <source>Take the provider down</source>
        <translation>Отключить провайдера</translation>
    </message>
    <message>
        <source>Sell a proxy first: there is no sold order to take offline.</source>
        <translation>Сначала продайте прокси: нет проданной покупки, которую можно отключить.</translation>
    </message>
    <message>
        <source>Proxy {0} of order {1} is now offline at the simulated provider; the Refunds tab can check and refund it.</source>
        <translation>Прокси {0} из покупки {1} теперь офлайн у имитации провайдера; на вкладке «Возвраты» его можно проверить и вернуть.</translation>
    </message>
    <message>
        <source>Simulated provider changed: {0} offline, {1} changed, {2} new, {3} gone. Sync now to pick it up.</source>
        <translation>Имитация провайдера изменилась: офлайн — {0}, изменено — {1}, новых — {2}, исчезло — {3}. Синхронизируйте, чтобы получить изменения.</translation>
    </message>
    <message>
        <source>The simulated provider is down (HTTP 503) until you bring it back from this menu.</source>
        <translation>Симулированный провайдер отключён (HTTP 503), пока вы не включите его в этом меню.</translation>
    </message>
    <message>
        <source>The simulated provider is back. Sync now to recover.</source>
        <translation>Симулированный провайдер снова работает. Запустите синхронизацию.</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>Демо</translation>
    </message>
</context>
<context>
    <name>ExportProgressDialog</name>
    <message>
        <source>Exporting</source>
        <extracomment>a quick export finishes before the dialog would show: no flash</extracomment>
        <translation>Экспорт</translation>
    </message>
    <message>
        <source>Writing the sold orders…</source>
        <translation>Запись проданных покупок…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Writing the sold orders… {0} of {1}</source>
        <translation>Запись проданных покупок… {0} из {1}</translation>
    </message>
</context>
<context>
    <name>InventoryModel</name>
    <message>
        <source>Country</source>
        <extracomment>rows whose last reference is dropped per event-loop turn after a reset (~1 ms of freeing) (sort key = InventoryRow attribute the core sorts on, header text)</extracomment>
        <translation>Страна</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Город</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Штат</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>ISP</source>
        <translation>ISP</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Скорость</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>First seen</source>
        <translation>Впервые замечен</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Последний раз</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Возвраты</translation>
    </message>
    <message>
        <source>residential</source>
        <extracomment>custom role: the row&apos;s product_id (int)</extracomment>
        <translation>резидентный</translation>
    </message>
    <message>
        <source>mobile</source>
        <translation>мобильный</translation>
    </message>
    <message>
        <source>hosting</source>
        <translation>хостинг</translation>
    </message>
    <message>
        <source>online</source>
        <translation>онлайн</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>офлайн</translation>
    </message>
    <message>
        <source>fast</source>
        <translation>быстрый</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>средний</translation>
    </message>
    <message>
        <source>slow</source>
        <translation>медленный</translation>
    </message>
    <message>
        <source>Latency in ms: up to {0} is fast, up to {1} moderate, above is slow.</source>
        <translation>Задержка в мс: до {0} — быстрый, до {1} — средний, выше — медленный.</translation>
    </message>
    <message>
        <source>Share of the shop&apos;s sales of {0} proxies in {1} that were refunded</source>
        <translation>Доля продаж прокси {0} в стране {1}, по которым был возврат</translation>
    </message>
    <message>
        <source>Share of the shop&apos;s sales in {0} that were refunded (too few sales of this ISP there)</source>
        <translation>Доля продаж в стране {0}, по которым был возврат (продаж этого ISP там слишком мало)</translation>
    </message>
    <message>
        <source>Too few sales here to tell (fewer than 20)</source>
        <translation>Слишком мало продаж, чтобы судить (меньше 20)</translation>
    </message>
</context>
<context>
    <name>InventoryTab</name>
    <message>
        <source>Country filter</source>
        <translation>Фильтр по стране</translation>
    </message>
    <message>
        <source>City filter</source>
        <translation>Фильтр по городу</translation>
    </message>
    <message>
        <source>Proxy type filter</source>
        <translation>Фильтр по типу прокси</translation>
    </message>
    <message>
        <source>ISP filter</source>
        <translation>Фильтр по ISP</translation>
    </message>
    <message>
        <source>ISP contains…</source>
        <translation>ISP содержит…</translation>
    </message>
    <message>
        <source>Maximum speed in milliseconds</source>
        <translation>Максимальная задержка в миллисекундах</translation>
    </message>
    <message>
        <source>any speed</source>
        <translation>любая скорость</translation>
    </message>
    <message>
        <source>≤ </source>
        <translation>≤ </translation>
    </message>
    <message>
        <source> ms</source>
        <translation> мс</translation>
    </message>
    <message>
        <source>Lower is faster: up to {0} ms is fast, up to {1} ms moderate</source>
        <translation>Меньше — быстрее: до {0} мс — быстрый, до {1} мс — средний</translation>
    </message>
    <message>
        <source>Maximum refund rate</source>
        <translation>Наибольшая доля возвратов</translation>
    </message>
    <message>
        <source>any refund rate</source>
        <translation>любая доля возвратов</translation>
    </message>
    <message>
        <source>≤ {0} % refunded</source>
        <translation>возвратов ≤ {0} %</translation>
    </message>
    <message>
        <source>Hide proxies from countries/ISPs the shop refunded more often than this; proxies with too few sales to tell stay listed</source>
        <translation>Скрыть прокси из стран и ISP, по которым магазин делал возвраты чаще; прокси, по которым продаж слишком мало, остаются в списке</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Сбросить фильтры</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Склад</translation>
    </message>
    <message>
        <source>Matching proxies</source>
        <translation>Подходящие прокси</translation>
    </message>
    <message>
        <source>Sell…</source>
        <translation>Продать…</translation>
    </message>
    <message>
        <source>Sell the selected proxies</source>
        <translation>Продать выбранные прокси</translation>
    </message>
    <message>
        <source>Sell the selected proxies (Ctrl+S or Return)</source>
        <translation>Продать выбранные прокси (Ctrl+S или Enter)</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Страна</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Город</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>ISP</source>
        <translation>ISP</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Скорость</translation>
    </message>
    <message>
        <source>All countries</source>
        <translation>Все страны</translation>
    </message>
    <message>
        <source>All cities</source>
        <translation>Все города</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Все типы</translation>
    </message>
    <message>
        <source>No proxies yet: press Sync now (Ctrl+R) to fetch the provider&apos;s listing.</source>
        <translation>Прокси пока нет: нажмите «Синхронизировать» (Ctrl+R), чтобы загрузить список провайдера.</translation>
    </message>
    <message>
        <source>Counting the matching proxies…</source>
        <translation>Подсчёт подходящих прокси…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln proxies</source>
        <translation>
            <numerusform>%Ln прокси</numerusform>
            <numerusform>%Ln прокси</numerusform>
            <numerusform>%Ln прокси</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{0} of %Ln proxies</source>
        <translation>
            <numerusform>{0} из %Ln прокси</numerusform>
            <numerusform>{0} из %Ln прокси</numerusform>
            <numerusform>{0} из %Ln прокси</numerusform>
        </translation>
    </message>
    <message>
        <source>Sell {0}…</source>
        <translation>Продать {0}…</translation>
    </message>
    <message>
        <source>Select the proxies to sell first.</source>
        <translation>Сначала выберите прокси для продажи.</translation>
    </message>
    <message>
        <source>Selling…</source>
        <translation>Продажа…</translation>
    </message>
    <message>
        <source>Sale failed</source>
        <translation>Продажа не удалась</translation>
    </message>
    <message>
        <source>Sold {0} of {1}.</source>
        <translation>Продано {0} из {1}.</translation>
    </message>
    <message>
        <source>and {0} more</source>
        <translation>и ещё {0}</translation>
    </message>
    <message>
        <source>Selected the first {0} of {1} matching proxies: narrow the filters to sell more at once.</source>
        <extracomment>the most rows select-all loads and selects: one batch sale</extracomment>
        <translation>Выделены первые {0} из {1} подходящих прокси: сузьте фильтры, чтобы продать больше за раз.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>ProxyShop — DEMO (simulated provider)</source>
        <translation>ProxyShop — ДЕМО (имитация провайдера)</translation>
    </message>
    <message>
        <source>ProxyShop</source>
        <translation>ProxyShop</translation>
    </message>
    <message>
        <source>Main tabs</source>
        <translation>Основные вкладки</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Склад</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Продажи</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>Возвраты</translation>
    </message>
    <message>
        <source>Stats</source>
        <translation>Статистика</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Журнал</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Синхронизировать</translation>
    </message>
    <message>
        <source>Cleanup</source>
        <translation>Очистка</translation>
    </message>
    <message>
        <source>Remove proxies that are offline or gone at the provider</source>
        <translation>Убрать прокси, которые офлайн или исчезли у провайдера</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Настройки…</translation>
    </message>
    <message>
        <source>Sell…</source>
        <translation>Продать…</translation>
    </message>
    <message>
        <source>Refunds…</source>
        <translation>Возвраты…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Экспорт CSV…</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Найти</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Действия</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Shop</source>
        <translation>&amp;Магазин</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>About ProxyShop</source>
        <translation>О программе ProxyShop</translation>
    </message>
    <message>
        <source>A sync is already running.</source>
        <translation>Синхронизация уже идёт.</translation>
    </message>
    <message>
        <source>Wait for the running sync to finish.</source>
        <translation>Дождитесь окончания текущей синхронизации.</translation>
    </message>
    <message>
        <source>ProxyShop Desktop {0}
The admin application of a SOCKS5 proxy reselling shop.</source>
        <translation>ProxyShop Desktop {0}
Приложение администратора магазина по перепродаже SOCKS5-прокси.</translation>
    </message>
    <message>
        <source>A shared database: this window works on {1} as operator {0}, and every sale and refund made here records that name (Settings › Database).</source>
        <translation>Общая база данных: это окно работает с {1} как оператор {0}, и каждая продажа и каждый возврат отсюда записываются под этим именем (Настройки › База данных).</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <source>Order</source>
        <extracomment>statuses whose refund window is worth counting down (refunded/void/pending have none)</extracomment>
        <translation>ID Покупки</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Прокси</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Страна</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>Purchased</source>
        <translation>Куплено</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Истекает</translation>
    </message>
    <message>
        <source>Refund deadline</source>
        <translation>Возврат до</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Осталось</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Возвращено</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>pending</source>
        <extracomment>the status words, listed so that lupdate extracts them (one per vocabulary.OrderStatus)</extracomment>
        <translation>ожидает</translation>
    </message>
    <message>
        <source>sold</source>
        <translation>продано</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>возврат</translation>
    </message>
    <message>
        <source>recovered</source>
        <translation>восстановлено</translation>
    </message>
    <message>
        <source>void</source>
        <translation>аннулировано</translation>
    </message>
    <message>
        <source>refund unknown</source>
        <translation>возврат неясен</translation>
    </message>
    <message>
        <source>{0} — missing at provider</source>
        <extracomment>statuses the operator must look at: drawn like a pending sale</extracomment>
        <translation>{0} — нет у провайдера</translation>
    </message>
    <message>
        <source>provider outcome unknown — run Reconcile</source>
        <translation>результат у провайдера неизвестен — выполните сверку</translation>
    </message>
    <message>
        <source>a refund got no answer and the provider&apos;s words do not tell whether it happened — Reconcile or Refund asks again; once you have checked with the provider, Mark refunded or Mark not refunded in the Refunds tab</source>
        <translation>на запрос возврата не пришёл ответ, и по ответам провайдера не понять, был ли возврат — «Сверка» или «Возврат» спросят снова; проверив у провайдера, отметьте «Возврат был» или «Возврата не было» на вкладке «Возвраты»</translation>
    </message>
    <message>
        <source>The provider has no record of this purchase — run Reconcile or check the provider account</source>
        <translation>У провайдера нет записи об этой покупке — выполните сверку или проверьте аккаунт у провайдера</translation>
    </message>
    <message>
        <source>a refund sent {0} awaits its answer</source>
        <translation>возврат, отправленный {0}, ждёт ответа</translation>
    </message>
</context>
<context>
    <name>ProblemLine</name>
    <message>
        <source>the database is unavailable</source>
        <extracomment>a cause longer than this is cut at a word (the whole of it is in the tooltip)</extracomment>
        <translation>база данных недоступна</translation>
    </message>
</context>
<context>
    <name>ProfitModel</name>
    <message>
        <source>Group</source>
        <extracomment>groups charted (the table lists them all): the most sold first</extracomment>
        <translation>Группа</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Продано</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Возвраты</translation>
    </message>
    <message>
        <source>Refund rate</source>
        <translation>Доля возвратов</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Выручка</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Затраты</translation>
    </message>
    <message>
        <source>Profit</source>
        <translation>Прибыль</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Итого</translation>
    </message>
    <message>
        <source>(not recorded)</source>
        <translation>(не указано)</translation>
    </message>
</context>
<context>
    <name>ProfitPanel</name>
    <message>
        <source>Group the profit figures by</source>
        <translation>Группировка показателей прибыли</translation>
    </message>
    <message>
        <source>per day</source>
        <translation>по дням</translation>
    </message>
    <message>
        <source>per country</source>
        <translation>по странам</translation>
    </message>
    <message>
        <source>per proxy type</source>
        <translation>по типам прокси</translation>
    </message>
    <message>
        <source>per ISP</source>
        <translation>по ISP</translation>
    </message>
    <message>
        <source>Period of the profit figures</source>
        <translation>Период показателей прибыли</translation>
    </message>
    <message numerus="yes">
        <source>last %n days</source>
        <translation>
            <numerusform>последний %n день</numerusform>
            <numerusform>последние %n дня</numerusform>
            <numerusform>последние %n дней</numerusform>
        </translation>
    </message>
    <message>
        <source>all time</source>
        <translation>за всё время</translation>
    </message>
    <message>
        <source>Profit figures</source>
        <translation>Показатели прибыли</translation>
    </message>
    <message>
        <source>Profit chart</source>
        <translation>График прибыли</translation>
    </message>
    <message>
        <source>Profit and refunds</source>
        <translation>Прибыль и возвраты</translation>
    </message>
    <message>
        <source>Could not load the profit figures: {0}</source>
        <translation>Не удалось загрузить показатели прибыли: {0}</translation>
    </message>
    <message>
        <source>Profit {0} on revenue {1} (margin {2}); cost {3}.</source>
        <translation>Прибыль {0} при выручке {1} (маржа {2}); затраты {3}.</translation>
    </message>
    <message>
        <source>Revenue, cost, profit and refund rate</source>
        <translation>Выручка, затраты, прибыль и доля возвратов</translation>
    </message>
    <message>
        <source>Refund rate</source>
        <translation>Доля возвратов</translation>
    </message>
    <message>
        <source>Amount ($)</source>
        <translation>Сумма ($)</translation>
    </message>
    <message>
        <source>Refund rate (%)</source>
        <translation>Доля возвратов (%)</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Выручка</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Затраты</translation>
    </message>
    <message>
        <source>Profit</source>
        <translation>Прибыль</translation>
    </message>
</context>
<context>
    <name>ProxyCheckRunner</name>
    <message>
        <source>Check proxy</source>
        <translation>Проверить прокси</translation>
    </message>
    <message>
        <source>Connect through the selected sold proxy with its own login and report whether it works; the result is kept with the order</source>
        <translation>Подключиться через выбранный проданный прокси с его логином и сообщить, работает ли он; результат сохраняется вместе с покупкой</translation>
    </message>
    <message>
        <source>Proxy checks of the selected order</source>
        <translation>Проверки прокси выбранной покупки</translation>
    </message>
    <message>
        <source>Could not check the proxy of {0}: {1}</source>
        <translation>Не удалось проверить прокси покупки {0}: {1}</translation>
    </message>
    <message>
        <source>works</source>
        <translation>работает</translation>
    </message>
    <message>
        <source>refuses the login</source>
        <translation>не принимает логин</translation>
    </message>
    <message>
        <source>is unreachable</source>
        <translation>недоступен</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>не ответил вовремя</translation>
    </message>
    <message>
        <source>gave a bad answer</source>
        <translation>дал неверный ответ</translation>
    </message>
    <message>
        <source>login refused</source>
        <translation>логин не принят</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>недоступен</translation>
    </message>
    <message>
        <source>bad answer</source>
        <translation>неверный ответ</translation>
    </message>
    <message>
        <source>The proxy of {0} works: {1} ms, exit IP {2}.</source>
        <translation>Прокси покупки {0} работает: {1} мс, выходной IP {2}.</translation>
    </message>
    <message>
        <source>The proxy of {0} {1}. {2}</source>
        <translation>Прокси покупки {0} {1}. {2}</translation>
    </message>
    <message>
        <source>Proxy checks: none yet.</source>
        <translation>Проверок прокси ещё не было.</translation>
    </message>
    <message>
        <source>Proxy checks (newest first):</source>
        <translation>Проверки прокси (сначала новые):</translation>
    </message>
    <message>
        <source>{0} — {1}, by {2}</source>
        <translation>{0} — {1}, проверил {2}</translation>
    </message>
    <message>
        <source> ({0} ms, exit IP {1})</source>
        <translation> ({0} мс, выходной IP {1})</translation>
    </message>
    <message>
        <source>Check proxy first</source>
        <translation>Сначала проверить прокси</translation>
    </message>
</context>
<context>
    <name>RefundPanel</name>
    <message>
        <source>Ask provider about refund</source>
        <translation>Спросить провайдера о возврате</translation>
    </message>
    <message>
        <source>Ask the provider whether this order can be refunded: nothing is refunded yet, and the proxy itself is not tested (that is Check proxy, below)</source>
        <translation>Спросить провайдера, можно ли вернуть эту покупку: возврата пока не будет, и сам прокси не проверяется (это «Проверить прокси» ниже)</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>Возврат…</translation>
    </message>
    <message>
        <source>Refund the selected order (Ctrl+Shift+R)</source>
        <translation>Оформить возврат выбранной покупки (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>Mark refunded…</source>
        <translation>Возврат был…</translation>
    </message>
    <message>
        <source>The provider confirmed it refunded this purchase: record the refund (nothing is sent)</source>
        <translation>Провайдер подтвердил возврат этой покупки: записать возврат (провайдеру ничего не отправляется)</translation>
    </message>
    <message>
        <source>Mark not refunded…</source>
        <translation>Возврата не было…</translation>
    </message>
    <message>
        <source>The provider confirmed it did not refund this purchase: it counts as sold again</source>
        <translation>Провайдер подтвердил, что не возвращал эту покупку: она снова считается проданной</translation>
    </message>
    <message>
        <source>Refund check answer</source>
        <translation>Ответ на проверку возврата</translation>
    </message>
    <message>
        <source>Select an order: ask the provider whether it can be refunded, check its proxy, or refund it.</source>
        <translation>Выберите покупку: спросите провайдера, можно ли её вернуть, проверьте её прокси или оформите возврат.</translation>
    </message>
    <message>
        <source>Refund at the provider</source>
        <translation>Возврат у провайдера</translation>
    </message>
    <message>
        <source>Sold proxy</source>
        <translation>Проданный прокси</translation>
    </message>
    <message>
        <source>The answer to a refund of {0} was lost, and the provider&apos;s answers since do not tell whether it happened. Use Ask provider about refund to ask again. Once you have checked purchase {1} with the provider yourself, record what you found with Mark refunded or Mark not refunded.</source>
        <translation>Ответ на возврат {0} потерян, и по последующим ответам провайдера не понять, был ли возврат. Чтобы спросить снова, нажмите «Спросить провайдера о возврате». Когда сами проверите покупку {1} у провайдера, запишите результат кнопкой «Возврат был» или «Возврата не было».</translation>
    </message>
    <message>
        <source>{0} can be refunded. {1}</source>
        <translation>Возврат {0} возможен. {1}</translation>
    </message>
    <message>
        <source>{0} cannot be refunded. {1}</source>
        <translation>Возврат {0} невозможен. {1}</translation>
    </message>
    <message>
        <source>(The shop&apos;s rules decided this; the provider was not asked.)</source>
        <translation>(Так решили правила магазина; провайдера не спрашивали.)</translation>
    </message>
    <message>
        <source>Record {0} as refunded at the provider? Do this only after the provider confirmed it refunded purchase {1}: {2} leaves the revenue. Nothing is sent to the provider.</source>
        <translation>Записать, что провайдер вернул {0}? Делайте это, только если провайдер подтвердил возврат покупки {1}: {2} уйдёт из выручки. Провайдеру ничего не отправляется.</translation>
    </message>
    <message>
        <source>Record {0} as not refunded? Do this only after the provider confirmed it did not refund purchase {1}: the order counts as sold again. Nothing is sent to the provider.</source>
        <translation>Записать, что возврата {0} не было? Делайте это, только если провайдер подтвердил, что не возвращал покупку {1}: она снова будет считаться проданной. Провайдеру ничего не отправляется.</translation>
    </message>
</context>
<context>
    <name>RefundsTab</name>
    <message>
        <source>Orders inside their refund window</source>
        <translation>Покупки в пределах срока возврата</translation>
    </message>
    <message>
        <source>Refunded orders</source>
        <translation>Возвращённые покупки</translation>
    </message>
    <message>
        <source>Total refunded</source>
        <translation>Всего возвращено</translation>
    </message>
    <message>
        <source>Show more</source>
        <translation>Показать ещё</translation>
    </message>
    <message>
        <source>Could not load orders: {0}</source>
        <translation>Не удалось загрузить покупки: {0}</translation>
    </message>
    <message>
        <source>Inside the refund window ({0} min): {1}</source>
        <translation>В пределах срока возврата ({0} мин): {1}</translation>
    </message>
    <message>
        <source>Total refunded: {0} · orders: {1}</source>
        <translation>Всего возвращено: {0} · покупок: {1}</translation>
    </message>
    <message>
        <source>Show {0} more of {1}</source>
        <translation>Показать ещё {0} из {1}</translation>
    </message>
    <message>
        <source>Asking the provider about {0}…</source>
        <translation>Запрос к провайдеру о {0}…</translation>
    </message>
    <message>
        <source>Could not check {0}: {1}</source>
        <translation>Не удалось проверить {0}: {1}</translation>
    </message>
    <message>
        <source>Refund order</source>
        <translation>Возврат покупки</translation>
    </message>
    <message>
        <source>Refund {0} for {1}?</source>
        <translation>Оформить возврат {0} на сумму {1}?</translation>
    </message>
    <message>
        <source>Refund of {0} cancelled.</source>
        <translation>Возврат {0} отменён.</translation>
    </message>
    <message>
        <source>Operator</source>
        <extracomment>typing in the operator filter: one refresh once it pauses this long refunded orders loaded per page (the latest refunds first)</extracomment>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>Operator filter</source>
        <translation>Фильтр по оператору</translation>
    </message>
    <message>
        <source>Only the orders this operator sold</source>
        <translation>Только покупки, оформленные этим оператором</translation>
    </message>
    <message>
        <source>Checking the proxy of {0} first…</source>
        <translation>Сначала проверяем прокси покупки {0}…</translation>
    </message>
    <message>
        <source>Refunding {0}…</source>
        <translation>Возврат {0}…</translation>
    </message>
    <message>
        <source>Checking the proxy of {0}…</source>
        <translation>Проверяем прокси покупки {0}…</translation>
    </message>
    <message>
        <source>{0} was not refunded: {1}</source>
        <translation>Возврат {0} не выполнен: {1}</translation>
    </message>
    <message>
        <source>Refunded {0}: {1} back to the customer.</source>
        <translation>Возврат {0} выполнен: клиенту возвращено {1}.</translation>
    </message>
    <message>
        <source>Settle a refund of unknown outcome</source>
        <translation>Решить судьбу неясного возврата</translation>
    </message>
    <message>
        <source>{0} was not changed: {1}</source>
        <translation>{0} не изменена: {1}</translation>
    </message>
</context>
<context>
    <name>SalesTab</name>
    <message>
        <source>Search order id, customer or IP</source>
        <translation>Поиск по ID покупки, клиенту или IP</translation>
    </message>
    <message>
        <source>Search orders</source>
        <translation>Поиск покупок</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>Operator filter</source>
        <translation>Фильтр по оператору</translation>
    </message>
    <message>
        <source>Order status filter</source>
        <translation>Фильтр по статусу покупки</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <source>Copy credentials</source>
        <translation>Копировать данные</translation>
    </message>
    <message>
        <source>Copy ip:port:login:password of the selected orders (Ctrl+Shift+C)</source>
        <translation>Копировать ip:port:login:password выбранных покупок (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <source>Show credentials</source>
        <translation>Показать данные</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Экспорт CSV</translation>
    </message>
    <message>
        <source>Export TXT</source>
        <translation>Экспорт TXT</translation>
    </message>
    <message>
        <source>Export the selected sold orders, or every sold order shown</source>
        <translation>Экспортировать выбранные проданные покупки или все показанные проданные</translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation>Сверка</translation>
    </message>
    <message>
        <source>Compare local orders with the provider&apos;s purchase record and settle pending orders</source>
        <translation>Сравнить локальные покупки с историей покупок у провайдера и закрыть ожидающие</translation>
    </message>
    <message>
        <source>Could not load orders: {0}</source>
        <translation>Не удалось загрузить покупки: {0}</translation>
    </message>
    <message>
        <source>Orders: {0}</source>
        <translation>Покупок: {0}</translation>
    </message>
    <message>
        <source>Reconcile ({0} pending)</source>
        <translation>Сверка (ожидают: {0})</translation>
    </message>
    <message>
        <source>Checking the proxy of {0}…</source>
        <translation>Проверяем прокси покупки {0}…</translation>
    </message>
    <message>
        <source>Select sold orders to copy their credentials.</source>
        <translation>Выберите проданные покупки, чтобы скопировать их данные.</translation>
    </message>
    <message>
        <source>Copied the credentials of {0} to the clipboard.</source>
        <translation>Данные доступа {0} скопированы в буфер обмена.</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n credential lines to the clipboard.</source>
        <translation>
            <numerusform>В буфер обмена скопирована %n строка с данными доступа.</numerusform>
            <numerusform>В буфер обмена скопированы %n строки с данными доступа.</numerusform>
            <numerusform>В буфер обмена скопировано %n строк с данными доступа.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select sold orders to show their credentials.</source>
        <translation>Выберите проданные покупки, чтобы показать их данные.</translation>
    </message>
    <message>
        <source>Nothing to export: only sold or recovered orders are exported.</source>
        <translation>Нечего экспортировать: экспортируются только проданные и восстановленные покупки.</translation>
    </message>
    <message>
        <source>Export orders as CSV</source>
        <translation>Экспорт покупок в CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export orders as TXT</source>
        <translation>Экспорт покупок в TXT</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Текстовые файлы (*.txt)</translation>
    </message>
    <message>
        <source>Export cancelled: nothing was written to {0}.</source>
        <translation>Экспорт отменён: в {0} ничего не записано.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n orders to {0}</source>
        <translation>
            <numerusform>%n покупка экспортирована в {0}</numerusform>
            <numerusform>%n покупки экспортированы в {0}</numerusform>
            <numerusform>%n покупок экспортировано в {0}</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconciling with the provider&apos;s purchase record…</source>
        <translation>Сверка с историей покупок у провайдера…</translation>
    </message>
    <message>
        <source>Reconcile failed: {0}</source>
        <translation>Сверка не удалась: {0}</translation>
    </message>
    <message>
        <source>pending orders completed from the provider&apos;s record: {0}</source>
        <translation>ожидавших покупок завершено по данным провайдера: {0}</translation>
    </message>
    <message>
        <source>pending orders voided (the provider never charged them): {0}</source>
        <translation>ожидавших покупок аннулировано (провайдер их не списал): {0}</translation>
    </message>
    <message>
        <source>purchases found at the provider and recorded as recovered: {0}</source>
        <translation>покупок найдено у провайдера и записано как восстановленные: {0}</translation>
    </message>
    <message>
        <source>orders the provider does not know: {0}</source>
        <translation>покупок, неизвестных провайдеру: {0}</translation>
    </message>
    <message>
        <source>refunds found made at the provider and recorded: {0}</source>
        <translation>возвратов найдено у провайдера и записано: {0}</translation>
    </message>
    <message>
        <source>refunds that did not happen (still sold): {0}</source>
        <translation>возвратов, которых не было (покупка остаётся проданной): {0}</translation>
    </message>
    <message>
        <source>refund outcome still unknown: {0}</source>
        <translation>возвратов с неясным исходом: {0}</translation>
    </message>
    <message>
        <source>Reconciled: local orders match the provider&apos;s record.</source>
        <translation>Сверка выполнена: локальные покупки совпадают с данными провайдера.</translation>
    </message>
    <message>
        <source>Reconciled: {0}.</source>
        <translation>Сверка выполнена: {0}.</translation>
    </message>
</context>
<context>
    <name>SellDialog</name>
    <message>
        <source>Sell proxies</source>
        <translation>Продажа прокси</translation>
    </message>
    <message>
        <source>Sell proxy</source>
        <translation>Продажа прокси</translation>
    </message>
    <message>
        <source>Customer reference</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>optional, e.g. an order number or e-mail</source>
        <translation>необязательно, например номер заказа или e-mail</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>The provider charges the shop&apos;s account for each proxy; the credentials are shown next.</source>
        <translation>Провайдер списывает оплату за каждый прокси со счёта магазина; затем будут показаны данные доступа.</translation>
    </message>
    <message numerus="yes">
        <source>Sell %n proxies</source>
        <translation>
            <numerusform>Продать %n прокси</numerusform>
            <numerusform>Продать %n прокси</numerusform>
            <numerusform>Продать %n прокси</numerusform>
        </translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>Клиент:</translation>
    </message>
    <message>
        <source>Price: {0}</source>
        <translation>Цена: {0}</translation>
    </message>
    <message>
        <source>{0} × {1} = {2}</source>
        <translation>{0} × {1} = {2}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Provider URL</source>
        <translation>URL провайдера</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Тайм-аут</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>Sync interval</source>
        <translation>Интервал синхронизации</translation>
    </message>
    <message>
        <source>Refund window</source>
        <translation>Срок возврата</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Plain http: the API token and the sold credentials travel unencrypted. Use https if the provider offers it.</source>
        <translation>Обычный http: API-токен и данные проданных прокси передаются без шифрования. Используйте https, если провайдер его поддерживает.</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>API-токен</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>без изменений</translation>
    </message>
    <message>
        <source>Checking the keyring…</source>
        <translation>Проверка хранилища ключей…</translation>
    </message>
    <message>
        <source>Timeout in seconds</source>
        <translation>Тайм-аут в секундах</translation>
    </message>
    <message>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <source>Price per proxy</source>
        <translation>Цена за прокси</translation>
    </message>
    <message>
        <source>Sync interval in minutes</source>
        <translation>Интервал синхронизации в минутах</translation>
    </message>
    <message>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <source>Refund window in minutes</source>
        <translation>Срок возврата в минутах</translation>
    </message>
    <message>
        <source>The theme changes at once, the language at the next start.</source>
        <translation>Тема меняется сразу, язык — при следующем запуске.</translation>
    </message>
    <message>
        <source>Set in the environment, which wins at the next start: {0}.</source>
        <translation>Задано в окружении, оно будет главнее при следующем запуске: {0}.</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Проверить соединение</translation>
    </message>
    <message>
        <source>Provider URL:</source>
        <translation>URL провайдера:</translation>
    </message>
    <message>
        <source>API token:</source>
        <translation>API-токен:</translation>
    </message>
    <message>
        <source>Timeout:</source>
        <translation>Тайм-аут:</translation>
    </message>
    <message>
        <source>Price per proxy ($):</source>
        <translation>Цена за прокси ($):</translation>
    </message>
    <message>
        <source>Sync every:</source>
        <translation>Синхронизация каждые:</translation>
    </message>
    <message>
        <source>Refund window:</source>
        <translation>Срок возврата:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Язык:</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>Тема:</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Провайдер</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Оповещения</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>База данных</translation>
    </message>
    <message>
        <source>Demo mode: the simulated provider&apos;s token is used.</source>
        <translation>Демо-режим: используется токен имитации провайдера.</translation>
    </message>
    <message>
        <source>set by {0}</source>
        <translation>задан через {0}</translation>
    </message>
    <message>
        <source>The token is set by {0} (it overrides the keyring).</source>
        <translation>Токен задан через {0} (он важнее хранилища ключей).</translation>
    </message>
    <message>
        <source>No usable OS keyring on this machine ({0}), so the token cannot be saved here. Export {1} in the environment that starts ProxyShop instead.</source>
        <translation>На этой машине нет рабочего хранилища ключей ОС ({0}), поэтому токен здесь не сохранить. Вместо этого задайте {1} в окружении, из которого запускается ProxyShop.</translation>
    </message>
    <message>
        <source>A token is stored in the OS keyring. Type a new one to replace it.</source>
        <translation>Токен хранится в хранилище ключей ОС. Введите новый, чтобы заменить его.</translation>
    </message>
    <message>
        <source>No token yet: paste the API key your provider gave you.</source>
        <translation>Токена пока нет: вставьте API-ключ, выданный провайдером.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Проверка…</translation>
    </message>
    <message>
        <source>Not saved: the provider URL would be unencrypted.</source>
        <translation>Не сохранено: соединение с провайдером было бы незашифрованным.</translation>
    </message>
    <message>
        <source>Cannot write the settings file: {0}</source>
        <translation>Не удалось записать файл настроек: {0}</translation>
    </message>
</context>
<context>
    <name>StatsTab</name>
    <message>
        <source>Shop statistics</source>
        <translation>Статистика магазина</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>На складе</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Продано</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Возвраты</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Выручка</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Затраты</translation>
    </message>
    <message>
        <source>Profit</source>
        <translation>Прибыль</translation>
    </message>
    <message>
        <source>Countries available</source>
        <translation>Доступно стран</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Последняя синхронизация</translation>
    </message>
    <message>
        <source>Pending orders</source>
        <translation>Ожидающие покупки</translation>
    </message>
    <message>
        <source>Sales and revenue per day</source>
        <translation>Продажи и выручка по дням</translation>
    </message>
    <message>
        <source>Inventory by country</source>
        <translation>Склад по странам</translation>
    </message>
    <message>
        <source>Sync history</source>
        <translation>История синхронизаций</translation>
    </message>
    <message>
        <source>Could not load the figures: {0}</source>
        <translation>Не удалось загрузить показатели: {0}</translation>
    </message>
    <message>
        <source>Proxies the shop can sell now</source>
        <translation>Прокси, которые магазин может продать сейчас</translation>
    </message>
    <message>
        <source>Every sale, refunded ones included</source>
        <translation>Все продажи, включая возвращённые</translation>
    </message>
    <message>
        <source>Sales minus refunds. Provider cost of the kept sales: {0}</source>
        <translation>Продажи минус возвраты. Затраты у провайдера на оставшиеся продажи: {0}</translation>
    </message>
    <message>
        <source>What the provider charged for the sales kept (refunds credited back)</source>
        <translation>Сколько поставщик списал за оставшиеся продажи (возвраты зачтены обратно)</translation>
    </message>
    <message>
        <source>Revenue minus cost; margin {0} of revenue</source>
        <translation>Выручка минус затраты; маржа {0} от выручки</translation>
    </message>
    <message>
        <source>Provider outcome unknown — run Reconcile in the Sales tab</source>
        <translation>Результат у провайдера неизвестен — выполните сверку на вкладке «Продажи»</translation>
    </message>
    <message>
        <source>The last successful full sync</source>
        <translation>Последняя успешная полная синхронизация</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>No API token: set it in Settings</source>
        <extracomment>Page reports arrive every few ms (1,000 pages at 200,000 proxies); each shown one relays out and repaints the status bar on the GUI thread: at most one per this many ms (a new phase at once).</extracomment>
        <translation>Нет API-токена: задайте его в настройках</translation>
    </message>
    <message>
        <source>unknown reason</source>
        <translation>причина неизвестна</translation>
    </message>
    <message>
        <source>Sync cancelled</source>
        <translation>Синхронизация отменена</translation>
    </message>
    <message>
        <source>Large removal confirmed</source>
        <translation>Большое удаление подтверждено</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>Резервное копирование не удалось</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>Синхронизация не удалась</translation>
    </message>
    <message>
        <source>Cleanup failed</source>
        <translation>Очистка не удалась</translation>
    </message>
    <message>
        <source>Provider sync recovered</source>
        <translation>Синхронизация с провайдером восстановлена</translation>
    </message>
    <message>
        <source>Syncing with the provider works again.</source>
        <translation>Синхронизация с провайдером снова работает.</translation>
    </message>
    <message>
        <source>Provider sync failing</source>
        <translation>Синхронизация с провайдером не работает</translation>
    </message>
    <message>
        <source>{0} The app keeps working on local data.</source>
        <translation>{0} Приложение продолжает работать с локальными данными.</translation>
    </message>
    <message>
        <source>Cleanup finished</source>
        <translation>Очистка завершена</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>Syncing… checking pending orders</source>
        <extracomment>the states the dot has a colour for (the colours, light and dark, are in ui/theme.py)</extracomment>
        <translation>Синхронизация… проверка ожидающих покупок</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Синхронизация…</translation>
    </message>
    <message>
        <source>Cleaning up… checking the inventory against the provider</source>
        <translation>Очистка… сверка склада с провайдером</translation>
    </message>
    <message>
        <source>No API token: set it in Settings</source>
        <translation>Нет API-токена: задайте его в настройках</translation>
    </message>
    <message>
        <source>next in {0}</source>
        <translation>следующая через {0}</translation>
    </message>
    <message>
        <source>Cleanup failed: {0}</source>
        <translation>Очистка не удалась: {0}</translation>
    </message>
    <message>
        <source>Sync failed: {0}</source>
        <translation>Синхронизация не удалась: {0}</translation>
    </message>
    <message>
        <source>retry in {0}</source>
        <translation>повтор через {0}</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>Ещё не синхронизировано</translation>
    </message>
    <message>
        <source>Database {0} unreachable: check the server and the network</source>
        <translation>База данных {0} недоступна: проверьте сервер и сеть</translation>
    </message>
    <message>
        <source>The database file cannot be read or written: check the disk</source>
        <translation>Файл базы данных не читается или не записывается: проверьте диск</translation>
    </message>
    <message>
        <source>trying again in {0}</source>
        <translation>повтор через {0}</translation>
    </message>
    <message>
        <source>Nothing was half-saved. The window keeps trying and carries on by itself once the database answers.</source>
        <translation>Ничего не сохранено наполовину. Окно продолжает попытки и само продолжит работу, когда база данных ответит.</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Sync status</source>
        <translation>Состояние синхронизации</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Stop this sync; while it lists, nothing is changed</source>
        <translation>Остановить синхронизацию; пока идёт загрузка списка, ничего не меняется</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Show ProxyShop</source>
        <translation>Показать ProxyShop</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <source>Provider balance too low</source>
        <translation>Недостаточно средств на балансе у провайдера</translation>
    </message>
</context>
<context>
    <name>alerts</name>
    <message>
        <source>🔴 &lt;b&gt;Sync failing&lt;/b&gt;: {0} syncs in a row have failed since {1}.
Last error: {2}
The inventory is not being refreshed. Check the provider and the shop&apos;s log.</source>
        <translation>🔴 &lt;b&gt;Синхронизация не работает&lt;/b&gt;: неудачных синхронизаций подряд: {0}, начиная с {1}.
Последняя ошибка: {2}
Склад не обновляется. Проверьте провайдера и журнал магазина.</translation>
    </message>
    <message>
        <source>🟢 &lt;b&gt;Sync recovered&lt;/b&gt; after {0} failed syncs (failing since {1}).</source>
        <translation>🟢 &lt;b&gt;Синхронизация восстановлена&lt;/b&gt; после неудачных попыток: {0} (сбой с {1}).</translation>
    </message>
    <message>
        <source>💸 &lt;b&gt;Purchase refused: provider balance too low&lt;/b&gt; (proxy {0}).
{1}
Top up the provider account; sales fail until then.</source>
        <translation>💸 &lt;b&gt;Покупка отклонена: недостаточно средств на балансе провайдера&lt;/b&gt; (прокси {0}).
{1}
Пополните баланс у провайдера; до тех пор продажи не проходят.</translation>
    </message>
    <message>
        <source>⏳ &lt;b&gt;Order stuck pending&lt;/b&gt;: {0} for {1} has been pending for {2} minutes.
Run Reconcile (or &lt;code&gt;proxyshop-desktop reconcile&lt;/code&gt;) to settle it.</source>
        <translation>⏳ &lt;b&gt;Покупка зависла&lt;/b&gt;: {0} для {1} ожидает уже {2} мин.
Запустите сверку (или &lt;code&gt;proxyshop-desktop reconcile&lt;/code&gt;), чтобы её завершить.</translation>
    </message>
    <message>
        <source>⏳ &lt;b&gt;Order stuck pending&lt;/b&gt;: {0} has been pending for {1} minutes.
Run Reconcile (or &lt;code&gt;proxyshop-desktop reconcile&lt;/code&gt;) to settle it.</source>
        <translation>⏳ &lt;b&gt;Покупка зависла&lt;/b&gt;: {0} ожидает уже {1} мин.
Запустите сверку (или &lt;code&gt;proxyshop-desktop reconcile&lt;/code&gt;), чтобы её завершить.</translation>
    </message>
    <message>
        <source>❓ &lt;b&gt;Refund outcome unknown&lt;/b&gt;: order {0}{1}.
Check it with the provider, then record what happened on the Refunds tab (or &lt;code&gt;proxyshop-desktop settle-refund&lt;/code&gt;).</source>
        <translation>❓ &lt;b&gt;Исход возврата неизвестен&lt;/b&gt;: покупка {0}{1}.
Уточните у провайдера и отметьте результат на вкладке «Возвраты» (или &lt;code&gt;proxyshop-desktop settle-refund&lt;/code&gt;).</translation>
    </message>
    <message>
        <source>unknown (a cost is missing)</source>
        <translation>неизвестна (нет данных о себестоимости)</translation>
    </message>
    <message>
        <source>📊 &lt;b&gt;Daily summary&lt;/b&gt; {0} – {1}</source>
        <translation>📊 &lt;b&gt;Ежедневная сводка&lt;/b&gt; {0} – {1}</translation>
    </message>
    <message>
        <source>Sold: {0}</source>
        <translation>Продано: {0}</translation>
    </message>
    <message>
        <source>Refunded: {0}</source>
        <translation>Возвратов: {0}</translation>
    </message>
    <message>
        <source>Revenue: {0}</source>
        <translation>Выручка: {0}</translation>
    </message>
    <message>
        <source>Profit: {0}</source>
        <translation>Прибыль: {0}</translation>
    </message>
    <message>
        <source>Inventory: {0} proxies</source>
        <translation>На складе прокси: {0}</translation>
    </message>
    <message>
        <source>Pending orders: {0}</source>
        <translation>Ожидающих покупок: {0}</translation>
    </message>
    <message>
        <source>&lt;i&gt;(and 1 more time since)&lt;/i&gt;</source>
        <translation>&lt;i&gt;(и ещё 1 повтор с тех пор)&lt;/i&gt;</translation>
    </message>
    <message>
        <source>&lt;i&gt;(and {0} more times since)&lt;/i&gt;</source>
        <translation>&lt;i&gt;(повторов с тех пор: {0})&lt;/i&gt;</translation>
    </message>
    <message>
        <source>✅ &lt;b&gt;Test&lt;/b&gt;: alerts from {0} reach this chat.</source>
        <translation>✅ &lt;b&gt;Проверка&lt;/b&gt;: оповещения от {0} доходят до этого чата.</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>ProxyShop cannot start</source>
        <translation>ProxyShop не может запуститься</translation>
    </message>
</context>
<context>
    <name>audit</name>
    <message>
        <source>Nothing to remove: every proxy in the inventory is online at the provider.</source>
        <translation>Удалять нечего: все прокси со склада онлайн у провайдера.</translation>
    </message>
    <message>
        <source>Proxies removed, no longer online at the provider: {0}.</source>
        <translation>Удалено прокси, которых больше нет онлайн у провайдера: {0}.</translation>
    </message>
    <message>
        <source>Checked {0} against {1} online ({2} requests).</source>
        <translation>Сверено прокси: {0}, онлайн у провайдера: {1} (запросов: {2}).</translation>
    </message>
    <message>
        <source>A large removal was confirmed by a second listing: only proxies missing from both were removed.</source>
        <translation>Большое удаление подтверждено повторной загрузкой списка: удалены только прокси, которых нет в обоих списках.</translation>
    </message>
    <message>
        <source>Backed up the database to {0} ({1}).</source>
        <extracomment>backups that count as &quot;today&apos;s&quot; for the daily one (a pre-migration copy is of an older schema)</extracomment>
        <translation>Резервная копия базы данных сохранена в {0} ({1}).</translation>
    </message>
    <message>
        <source>Pending sale of proxy {0} settled: the provider charged purchase {1}.</source>
        <extracomment>a purchase this much older than the pending order may still be its buy (clocks differ)</extracomment>
        <translation>Ожидающая продажа прокси {0} завершена: провайдер провёл покупку {1}.</translation>
    </message>
    <message>
        <source>Pending sale of proxy {0} voided: the provider lists no purchase of it.</source>
        <translation>Ожидающая продажа прокси {0} аннулирована: у провайдера нет его покупки.</translation>
    </message>
    <message>
        <source>Purchase {0} of proxy {1} had no local order; recorded it.</source>
        <translation>Покупка {0} прокси {1} не была записана локально; теперь записана.</translation>
    </message>
    <message>
        <source>Reconcile: the provider lists {0} purchases; settled {1}, voided {2}, recovered {3}, missing at the provider {4}.</source>
        <translation>Сверка: покупок у провайдера: {0}; завершено: {1}, аннулировано: {2}, восстановлено: {3}, нет у провайдера: {4}.</translation>
    </message>
    <message>
        <source>Reconcile failed, nothing changed: {0}</source>
        <translation>Сверка не удалась, ничего не изменено: {0}</translation>
    </message>
    <message>
        <source>Refund of purchase {0} recorded: the answer to the refund sent at {1} was lost, and the provider now says: {2}</source>
        <translation>Возврат покупки {0} записан: ответ на запрос возврата, отправленный в {1}, был потерян, а теперь провайдер отвечает: {2}</translation>
    </message>
    <message>
        <source>The refund sent at {0} did not happen: the provider says: {1}</source>
        <translation>Возврат, запрошенный в {0}, не состоялся: провайдер отвечает: {1}</translation>
    </message>
    <message>
        <source>Refund outcome unknown: the answer to the refund sent at {0} was lost and the provider now says: {1}</source>
        <translation>Исход возврата неизвестен: ответ на запрос, отправленный в {0}, был потерян, а теперь провайдер отвечает: {1}</translation>
    </message>
    <message>
        <source>Refund sent at {0} was refunded at the provider: recorded by the operator, who checked with the provider.</source>
        <translation>Возврат, запрошенный в {0}, у провайдера состоялся: записал оператор, проверив у провайдера.</translation>
    </message>
    <message>
        <source>Refund sent at {0} was not refunded at the provider: recorded by the operator, who checked with the provider.</source>
        <translation>Возврат, запрошенный в {0}, у провайдера не состоялся: записал оператор, проверив у провайдера.</translation>
    </message>
    <message>
        <source>Refunded purchase {0}.</source>
        <translation>Возврат покупки {0} выполнен.</translation>
    </message>
    <message>
        <source>Refund not done: {0}</source>
        <translation>Возврат не выполнен: {0}</translation>
    </message>
    <message>
        <source>Refund outcome unknown: {0}</source>
        <translation>Исход возврата неизвестен: {0}</translation>
    </message>
    <message>
        <source>Sync failed: {0}</source>
        <extracomment>sync/cleanup history kept; a 5-minute timer writes ~290 runs a day. Money events are kept forever.</extracomment>
        <translation>Синхронизация не удалась: {0}</translation>
    </message>
    <message>
        <source>Cleanup failed: {0}</source>
        <translation>Очистка не удалась: {0}</translation>
    </message>
    <message>
        <source>Pending sale of proxy {0} (product {1}) written before calling the provider.</source>
        <translation>Ожидающая продажа прокси {0} (товар {1}) записана до обращения к провайдеру.</translation>
    </message>
    <message>
        <source>Sold proxy {0} (purchase {1}).</source>
        <translation>Продан прокси {0} (покупка {1}).</translation>
    </message>
    <message>
        <source>a sync had already listed it again</source>
        <translation>синхронизация уже вернула его в список</translation>
    </message>
    <message>
        <source>the product is back in the inventory</source>
        <translation>прокси снова на складе</translation>
    </message>
    <message>
        <source>the product is back in the inventory under a new id</source>
        <translation>прокси снова на складе под новым номером</translation>
    </message>
    <message>
        <source>the order was no longer pending</source>
        <translation>покупка уже не была в ожидании</translation>
    </message>
    <message>
        <source>The provider refused proxy {0}: {1} No sale happened; {2}.</source>
        <translation>Провайдер отказал в прокси {0}: {1} Продажи не было; {2}.</translation>
    </message>
    <message>
        <source>Outcome of the buy of proxy {0} unknown ({1}); kept pending until reconcile settles it.</source>
        <translation>Исход покупки прокси {0} неизвестен ({1}); продажа ожидает сверки.</translation>
    </message>
    <message>
        <source>Sync {0}: {1} online proxies listed on {2} pages; {3} added, {4} updated, {5} removed, {6} skipped ({7} requests).</source>
        <translation>Синхронизация {0}: прокси онлайн в списке: {1}, страниц: {2}; добавлено: {3}, обновлено: {4}, удалено: {5}, пропущено: {6} (запросов: {7}).</translation>
    </message>
    <message>
        <source>Sync: {0} online proxies listed on {1} pages; {2} added, {3} updated, {4} removed, {5} skipped ({6} requests).</source>
        <translation>Синхронизация: прокси онлайн в списке: {0}, страниц: {1}; добавлено: {2}, обновлено: {3}, удалено: {4}, пропущено: {5} (запросов: {6}).</translation>
    </message>
    <message>
        <source>Proxy check {0} by {1}: {2}. {3}</source>
        <translation>Проверка прокси {0}, оператор {1}: {2}. {3}</translation>
    </message>
    <message>
        <source>Proxy check by {0}: {1}. {2}</source>
        <translation>Проверка прокси, оператор {0}: {1}. {2}</translation>
    </message>
</context>
<context>
    <name>charts</name>
    <message>
        <source>Sales and revenue per day (UTC, last 30 days)</source>
        <translation>Продажи и выручка по дням (UTC, последние 30 дней)</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Продано</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Возвраты</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>Выручка</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>День</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Покупки</translation>
    </message>
    <message>
        <source>Revenue ($)</source>
        <translation>Выручка ($)</translation>
    </message>
    <message>
        <source>{0}: {1} sold, {2} refunded, revenue {3}</source>
        <translation>{0}: продано {1}, возвратов {2}, выручка {3}</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Другие</translation>
    </message>
    <message>
        <source>Inventory by country (top {0})</source>
        <translation>Склад по странам (топ {0})</translation>
    </message>
    <message>
        <source>Proxies</source>
        <translation>Прокси</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Страна</translation>
    </message>
    <message>
        <source>Cleanup</source>
        <translation>Очистка</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Синхронизация</translation>
    </message>
    <message>
        <source>{0} #{1} — {2}</source>
        <translation>{0} №{1} — {2}</translation>
    </message>
    <message>
        <source>Started {0}, took {1}</source>
        <translation>Начало {0}, длительность {1}</translation>
    </message>
    <message>
        <source>Fetched {0}, added {1}, removed {2}</source>
        <translation>Получено {0}, добавлено {1}, удалено {2}</translation>
    </message>
    <message>
        <source>Error: {0}</source>
        <translation>Ошибка: {0}</translation>
    </message>
    <message>
        <source>Sync history (last {0} runs)</source>
        <translation>История синхронизаций (последние {0} запусков)</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Успешно</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>С ошибкой</translation>
    </message>
    <message>
        <source>Runs, oldest to newest</source>
        <translation>Запуски, от старых к новым</translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation>Длительность (с)</translation>
    </message>
</context>
<context>
    <name>check</name>
    <message>
        <source>The proxy at {0} did not finish the check within {1} s.</source>
        <extracomment>checks running at once (each holds a connection through a customer&apos;s proxy) how the window and the command line name each outcome</extracomment>
        <translation>Прокси {0} не завершил проверку за {1} с.</translation>
    </message>
    <message>
        <source>The proxy at {0} let the check through, but the check URL answered {1}, not an IP address: check the check URL setting.</source>
        <translation>Прокси {0} пропустил проверку, но адрес проверки ответил {1}, а не IP-адресом: проверьте настройку адреса проверки.</translation>
    </message>
    <message>
        <source>The proxy at {0} works: the check URL answered in {1} ms and saw exit IP {2}.</source>
        <translation>Прокси {0} работает: адрес проверки ответил за {1} мс и увидел выходной IP {2}.</translation>
    </message>
    <message>
        <source>{0} The provider listed {1}.</source>
        <translation>{0} Провайдер указывал {1}.</translation>
    </message>
    <message>
        <source>The check URL&apos;s answer through the proxy at {0} is not valid HTTP.</source>
        <translation>Ответ адреса проверки через прокси {0} — не корректный HTTP.</translation>
    </message>
    <message>
        <source>Cannot connect to the proxy at {0} ({1}).</source>
        <translation>Не удаётся подключиться к прокси {0} ({1}).</translation>
    </message>
    <message>
        <source>The proxy at {0} accepted the login but could not reach the check URL&apos;s host {1} ({2}).</source>
        <translation>Прокси {0} принял логин, но не смог достучаться до хоста адреса проверки {1} ({2}).</translation>
    </message>
    <message>
        <source>The proxy at {0} refuses the sold login and password.</source>
        <translation>Прокси {0} не принимает проданные логин и пароль.</translation>
    </message>
    <message>
        <source>What answers at {0} does not speak SOCKS5 ({1}).</source>
        <translation>То, что отвечает по адресу {0}, не говорит на SOCKS5 ({1}).</translation>
    </message>
    <message>
        <source>The proxy at {0} closed the connection without answering.</source>
        <translation>Прокси {0} закрыл соединение, не ответив.</translation>
    </message>
    <message>
        <source>TLS with the check URL failed through the proxy at {0} ({1}).</source>
        <translation>TLS с адресом проверки через прокси {0} не удался ({1}).</translation>
    </message>
    <message>
        <source>The connection through the proxy at {0} broke ({1}).</source>
        <translation>Соединение через прокси {0} оборвалось ({1}).</translation>
    </message>
    <message>
        <source>The proxy at {0} answered in a way the check does not understand ({1}).</source>
        <translation>Прокси {0} ответил так, что проверка не может это разобрать ({1}).</translation>
    </message>
    <message>
        <source>The sold proxy&apos;s port {0} is not a port number: nothing can connect to it.</source>
        <translation>Порт проданного прокси {0} — не номер порта: к нему нельзя подключиться.</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>{0}: {1} of {2} ({3}%)</source>
        <translation>{0}: {1} из {2} ({3}%)</translation>
    </message>
    <message>
        <source> (the provider reports {0})</source>
        <translation> (по данным провайдера: {0})</translation>
    </message>
    <message>
        <source>Sync finished in {0} s: {1} fetched{2} {3}; {4} added, {5} updated, {6} removed, {7} skipped.</source>
        <translation>Синхронизация завершена за {0} с: получено {1}{2} {3}; добавлено: {4}, обновлено: {5}, удалено: {6}, пропущено: {7}.</translation>
    </message>
    <message>
        <source>No proxies match.</source>
        <translation>Подходящих прокси нет.</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>PROXY</source>
        <translation>ПРОКСИ</translation>
    </message>
    <message>
        <source>CC</source>
        <translation>КОД</translation>
    </message>
    <message>
        <source>CITY</source>
        <translation>ГОРОД</translation>
    </message>
    <message>
        <source>REGION</source>
        <translation>ШТАТ</translation>
    </message>
    <message>
        <source>TYPE</source>
        <translation>ТИП</translation>
    </message>
    <message>
        <source>ISP</source>
        <translation>ISP</translation>
    </message>
    <message>
        <source>SPEED</source>
        <translation>СКОРОСТЬ</translation>
    </message>
    <message>
        <source>PRICE</source>
        <translation>ЦЕНА</translation>
    </message>
    <message>
        <source>REFUNDED</source>
        <translation>ВОЗВРАТЫ</translation>
    </message>
    <message>
        <source>{0} ms</source>
        <translation>{0} мс</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Page {0} of {1}: proxies {2} of {3} matching.</source>
        <translation>Страница {0} из {1}: прокси {2} из {3} подходящих.</translation>
    </message>
    <message>
        <source>Sold {0} (proxy {1}) for {2} to {3}.</source>
        <translation>Продано: {0} (прокси {1}) за {2}, клиент {3}.</translation>
    </message>
    <message>
        <source>Sold {0} (proxy {1}) for {2}.</source>
        <translation>Продано: {0} (прокси {1}) за {2}.</translation>
    </message>
    <message>
        <source>ip {0}  port {1}  login {2}  password {3}</source>
        <translation>IP {0}  порт {1}  логин {2}  пароль {3}</translation>
    </message>
    <message>
        <source>(control characters are shown escaped: --json gives the exact bytes)</source>
        <translation>(управляющие символы показаны экранированными: --json выдаёт точные байты)</translation>
    </message>
    <message>
        <source>expires {0}; refundable until {1}</source>
        <translation>истекает {0}; возврат возможен до {1}</translation>
    </message>
    <message>
        <source>expires {0}; the provider does not refund this proxy</source>
        <translation>истекает {0}; провайдер не делает возврат за этот прокси</translation>
    </message>
    <message>
        <source>Not sold: product {0}: {1}</source>
        <translation>Не продано: товар {0}: {1}</translation>
    </message>
    <message>
        <source>No orders.</source>
        <translation>Покупок нет.</translation>
    </message>
    <message>
        <source>No orders on page {0}: {1} match, {2} per page.</source>
        <translation>На странице {0} покупок нет: подходящих {1}, по {2} на странице.</translation>
    </message>
    <message>
        <source>ORDER</source>
        <translation>ID ПОКУПКИ</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>СТАТУС</translation>
    </message>
    <message>
        <source>CUSTOMER</source>
        <translation>КЛИЕНТ</translation>
    </message>
    <message>
        <source>PURCHASED</source>
        <translation>КУПЛЕНО</translation>
    </message>
    <message>
        <source>REFUNDABLE UNTIL</source>
        <translation>ВОЗВРАТ ДО</translation>
    </message>
    <message>
        <source>CONNECT TO</source>
        <translation>ПОДКЛЮЧЕНИЕ</translation>
    </message>
    <message>
        <source>Orders {0}-{1} of {2}.</source>
        <translation>Покупки {0}-{1} из {2}.</translation>
    </message>
    <message>
        <source>{0} more: --page {1}</source>
        <translation>Ещё {0}: --page {1}</translation>
    </message>
    <message>
        <source>(run `proxyshop-desktop reconcile`)</source>
        <translation>(запустите `proxyshop-desktop reconcile`)</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Склад</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Продано</translation>
    </message>
    <message>
        <source>{0} (refunded {1})</source>
        <translation>{0} (возвратов: {1})</translation>
    </message>
    <message>
        <source>Revenue (kept)</source>
        <translation>Выручка (без возвратов)</translation>
    </message>
    <message>
        <source>Provider cost</source>
        <translation>Затраты у провайдера</translation>
    </message>
    <message>
        <source>Profit</source>
        <translation>Прибыль</translation>
    </message>
    <message>
        <source>{0} (margin {1})</source>
        <translation>{0} (маржа {1})</translation>
    </message>
    <message>
        <source>Pending orders</source>
        <translation>Ожидающие покупки</translation>
    </message>
    <message>
        <source>Last successful sync</source>
        <translation>Последняя успешная синхронизация</translation>
    </message>
    <message>
        <source>Top countries</source>
        <translation>Ведущие страны</translation>
    </message>
    <message>
        <source>No sales since {0}.</source>
        <translation>Продаж с {0} нет.</translation>
    </message>
    <message>
        <source>No sales yet.</source>
        <translation>Продаж пока нет.</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(неизвестно)</translation>
    </message>
    <message>
        <source>TOTAL</source>
        <translation>ИТОГО</translation>
    </message>
    <message>
        <source>SOLD</source>
        <translation>ПРОДАНО</translation>
    </message>
    <message>
        <source>REFUND RATE</source>
        <translation>ДОЛЯ ВОЗВРАТОВ</translation>
    </message>
    <message>
        <source>REVENUE</source>
        <translation>ВЫРУЧКА</translation>
    </message>
    <message>
        <source>COST</source>
        <translation>ЗАТРАТЫ</translation>
    </message>
    <message>
        <source>PROFIT</source>
        <translation>ПРИБЫЛЬ</translation>
    </message>
    <message>
        <source>Margin: {0} of revenue.</source>
        <translation>Маржа: {0} от выручки.</translation>
    </message>
    <message>
        <source>Sales purchased since {0}.</source>
        <translation>Продажи с {0}.</translation>
    </message>
    <message>
        <source>works</source>
        <translation>работает</translation>
    </message>
    <message>
        <source>refuses the login</source>
        <translation>не принимает логин</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>недоступен</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>не ответил вовремя</translation>
    </message>
    <message>
        <source>bad answer</source>
        <translation>неверный ответ</translation>
    </message>
    <message>
        <source>{0}: {1}. {2}</source>
        <translation>{0}: {1}. {2}</translation>
    </message>
    <message>
        <source>Reconciled with the provider: {0}, {1}, {2}.</source>
        <translation>Сверка с провайдером: {0}, {1}, {2}.</translation>
    </message>
    <message>
        <source>Refunds made at the provider, now recorded: {0}</source>
        <translation>Возвраты, сделанные у провайдера, теперь записаны: {0}</translation>
    </message>
    <message>
        <source>Refunds that did not happen (orders stay sold): {0}</source>
        <translation>Возвраты, которые не состоялись (покупки остаются проданными): {0}</translation>
    </message>
    <message>
        <source>Refund outcome still unknown (asked again next time; check with the provider): {0}</source>
        <translation>Исход возврата всё ещё неизвестен (спросим снова в следующий раз; уточните у провайдера): {0}</translation>
    </message>
    <message>
        <source>warning: the daily backup failed: {0} {1}</source>
        <translation>предупреждение: ежедневная резервная копия не создана: {0} {1}</translation>
    </message>
    <message>
        <source>Daily backup: {0}</source>
        <translation>Ежедневная резервная копия: {0}</translation>
    </message>
    <message>
        <source>Cleanup: {0}</source>
        <translation>Очистка: {0}</translation>
    </message>
    <message>
        <source>Refunded {0}: {1}.</source>
        <translation>Возврат {0}: {1}.</translation>
    </message>
    <message>
        <source>exporting</source>
        <translation>экспорт</translation>
    </message>
    <message>
        <source>Exported {0} as {1} to {2} (readable by you only).</source>
        <translation>Экспортировано: {0} в формате {1} в {2} (файл доступен только вам).</translation>
    </message>
    <message>
        <source>Backup written to {0}.</source>
        <translation>Резервная копия записана в {0}.</translation>
    </message>
    <message>
        <source>Restored {0} into {1}.</source>
        <translation>Копия {0} восстановлена в {1}.</translation>
    </message>
    <message>
        <source>{0} The previous database was saved as {1}.</source>
        <translation>{0} Прежняя база данных сохранена как {1}.</translation>
    </message>
    <message>
        <source>Token removed from the OS keyring.</source>
        <translation>Токен удалён из хранилища ключей ОС.</translation>
    </message>
    <message>
        <source>No token was stored in the OS keyring.</source>
        <translation>В хранилище ключей ОС не было токена.</translation>
    </message>
    <message>
        <source>{0} {1} is still set and still provides a token.</source>
        <translation>{0} Переменная {1} по-прежнему задана и даёт токен.</translation>
    </message>
    <message>
        <source>Token stored in the OS keyring ({0}).</source>
        <translation>Токен сохранён в хранилище ключей ОС ({0}).</translation>
    </message>
    <message>
        <source>Provider API token (not shown): </source>
        <translation>Токен API провайдера (не отображается): </translation>
    </message>
    <message>
        <source>Database password set from {0} (overrides the keyring; keyring: {1}).</source>
        <extracomment>the database password&apos;s state, in the provider token&apos;s words</extracomment>
        <translation>Пароль базы данных задан через {0} (он важнее хранилища ключей; хранилище ключей: {1}).</translation>
    </message>
    <message>
        <source>Database password set, stored in the OS keyring ({0}).</source>
        <translation>Пароль базы данных задан и хранится в хранилище ключей ОС ({0}).</translation>
    </message>
    <message>
        <source>No database password. No usable OS keyring ({0}): export {1} instead.</source>
        <translation>Пароль базы данных не задан. Нет рабочего хранилища ключей ОС ({0}): задайте переменную окружения {1}.</translation>
    </message>
    <message>
        <source>No database password set. It will be stored in the OS keyring ({0}).</source>
        <translation>Пароль базы данных не задан. Он будет храниться в хранилище ключей ОС ({0}).</translation>
    </message>
    <message>
        <source>{0} libpq&apos;s ~/.pgpass is used when it has a matching line.</source>
        <translation>{0} Если в ~/.pgpass есть подходящая строка, libpq возьмёт пароль оттуда.</translation>
    </message>
    <message>
        <source>Database password removed from the OS keyring.</source>
        <translation>Пароль базы данных удалён из хранилища ключей ОС.</translation>
    </message>
    <message>
        <source>No database password was stored.</source>
        <translation>Пароль базы данных не был сохранён.</translation>
    </message>
    <message>
        <source>Database password (not shown): </source>
        <translation>Пароль базы данных (не отображается): </translation>
    </message>
    <message>
        <source>Database password stored in the OS keyring ({0}).</source>
        <translation>Пароль базы данных сохранён в хранилище ключей ОС ({0}).</translation>
    </message>
    <message>
        <source>Test message sent to chat {0}.</source>
        <extracomment>a headless command waits at most this long for Telegram before it exits</extracomment>
        <translation>Тестовое сообщение отправлено в чат {0}.</translation>
    </message>
    <message>
        <source>Bot API: {0} via {1}</source>
        <translation>Bot API: {0} через {1}</translation>
    </message>
    <message>
        <source>Bot API: {0}</source>
        <translation>Bot API: {0}</translation>
    </message>
    <message>
        <source>Alerts: on.</source>
        <translation>Оповещения: включены.</translation>
    </message>
    <message>
        <source>Alerts: off.</source>
        <translation>Оповещения: выключены.</translation>
    </message>
    <message>
        <source>Chat id: {0}</source>
        <translation>ID чата: {0}</translation>
    </message>
    <message>
        <source>Chat id: not set (telegram_chat_id)</source>
        <translation>ID чата: не задан (telegram_chat_id)</translation>
    </message>
    <message>
        <source>Events: {0}</source>
        <translation>События: {0}</translation>
    </message>
    <message>
        <source>Events: none</source>
        <translation>События: нет</translation>
    </message>
    <message>
        <source>Queue: {0} waiting, {1} sent, {2} dropped.</source>
        <translation>Очередь: ждут {0}, отправлено {1}, отброшено {2}.</translation>
    </message>
    <message>
        <source>Last error: {0}</source>
        <translation>Последняя ошибка: {0}</translation>
    </message>
    <message>
        <source>Bot token set from {0} (overrides the keyring; keyring: {1}).</source>
        <extracomment>the bot token&apos;s state, in the provider token&apos;s words</extracomment>
        <translation>Токен бота задан через {0} (он важнее хранилища ключей; хранилище ключей: {1}).</translation>
    </message>
    <message>
        <source>Bot token set, stored in the OS keyring ({0}).</source>
        <translation>Токен бота задан и хранится в хранилище ключей ОС ({0}).</translation>
    </message>
    <message>
        <source>No bot token. No usable OS keyring ({0}): export {1} instead.</source>
        <translation>Токен бота не задан. Нет рабочего хранилища ключей ОС ({0}): задайте переменную окружения {1}.</translation>
    </message>
    <message>
        <source>No bot token set. It will be stored in the OS keyring ({0}).</source>
        <translation>Токен бота не задан. Он будет храниться в хранилище ключей ОС ({0}).</translation>
    </message>
    <message>
        <source>Bot token removed from the OS keyring.</source>
        <translation>Токен бота удалён из хранилища ключей ОС.</translation>
    </message>
    <message>
        <source>No bot token was stored.</source>
        <translation>Токен бота не был сохранён.</translation>
    </message>
    <message>
        <source>Telegram bot token (not shown): </source>
        <translation>Токен бота Telegram (не отображается): </translation>
    </message>
    <message>
        <source>Bot token stored in the OS keyring ({0}).</source>
        <translation>Токен бота сохранён в хранилище ключей ОС ({0}).</translation>
    </message>
    <message>
        <source>{0} Note: {1} is set and overrides it.</source>
        <translation>{0} Внимание: задана переменная {1}, и она важнее.</translation>
    </message>
    <message>
        <source>Engine: {0} ({1})</source>
        <translation>СУБД: {0} ({1})</translation>
    </message>
    <message>
        <source>Database: {0}</source>
        <translation>База данных: {0}</translation>
    </message>
    <message>
        <source>Schema version: {0}</source>
        <translation>Версия схемы: {0}</translation>
    </message>
    <message>
        <source>Rows:</source>
        <translation>Строк:</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>строк</translation>
    </message>
    <message>
        <source>Copied {0} into {1} in one transaction, verified:</source>
        <translation>{0} скопирована в {1} одной транзакцией и проверена:</translation>
    </message>
    <message>
        <source>Point every app at it: PROXYSHOP_DATABASE_URL={0} (or database_url in settings.json).</source>
        <translation>Направьте на неё каждую копию приложения: PROXYSHOP_DATABASE_URL={0} (или database_url в settings.json).</translation>
    </message>
    <message>
        <source>Token set from {0} (overrides the keyring; keyring: {1}).</source>
        <extracomment>the Telegram bot token of the alerts: another named secret, kept the same way the shared PostgreSQL database&apos;s password (issue 11); libpq&apos;s own PGPASSWORD also serves The only backends the token may go to: each keeps it encrypted by the OS under the user&apos;s login (&quot;module.Class&quot;). Anything else is refused like `fail` and `null` are: keyrings.alt&apos;s PlaintextKeyring writes it in clear to a file, its EncryptedKeyring and other file backends keep it in a file next to a password or key of their own, and an unknown backend is unknown.</extracomment>
        <translation>Токен задан через {0} (он важнее хранилища ключей; хранилище ключей: {1}).</translation>
    </message>
    <message>
        <source>Token set, stored in the OS keyring ({0}).</source>
        <translation>Токен задан и хранится в хранилище ключей ОС ({0}).</translation>
    </message>
    <message>
        <source>No token. No usable OS keyring ({0}): export {1} instead.</source>
        <translation>Токен не задан. Нет рабочего хранилища ключей ОС ({0}): задайте переменную окружения {1}.</translation>
    </message>
    <message>
        <source>No token set. It will be stored in the OS keyring ({0}).</source>
        <translation>Токен не задан. Он будет храниться в хранилище ключей ОС ({0}).</translation>
    </message>
</context>
<context>
    <name>database</name>
    <message>
        <source>schema v{0}</source>
        <translation>схема v{0}</translation>
    </message>
    <message>
        <source>empty: the shop&apos;s tables are created at the next start</source>
        <translation>пустая: таблицы магазина будут созданы при следующем запуске</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>The database URL contains a password: it works, but keep it out of settings files; use `proxyshop-desktop db-password set` or ~/.pgpass instead.</source>
        <extracomment>sslmode values under which libpq refuses a server without TLS</extracomment>
        <translation>Адрес базы данных содержит пароль: это работает, но пароль не должен попадать в файлы настроек; используйте `proxyshop-desktop db-password set` или ~/.pgpass.</translation>
    </message>
    <message>
        <source>The database server {0} is reached without required TLS: the shop&apos;s data and password may cross the network in clear. Add ?sslmode=require (or verify-full) to the database URL.</source>
        <translation>Сервер базы данных {0} доступен без обязательного TLS: данные магазина и пароль могут идти по сети открытым текстом. Добавьте ?sslmode=require (или verify-full) к адресу базы данных.</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Unexpected error ({0}); see the log file.</source>
        <translation>Непредвиденная ошибка ({0}); подробности в файле журнала.</translation>
    </message>
    <message>
        <source>Provider problem</source>
        <translation>Проблема у провайдера</translation>
    </message>
    <message>
        <source>Cannot do that</source>
        <translation>Не получается</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>Непредвиденная ошибка</translation>
    </message>
    <message>
        <source>Something went wrong inside ProxyShop ({0}). Your data is safe; the details below are in the log file.</source>
        <translation>Внутри ProxyShop что-то пошло не так ({0}). Ваши данные в сохранности; подробности ниже есть в файле журнала.</translation>
    </message>
    <message>
        <source>Set it with `proxyshop-desktop token set` (or the settings dialog), or export EXTERNAL_SOCKS_API_TOKEN.</source>
        <translation>Задайте его командой `proxyshop-desktop token set` (или в окне настроек) либо через переменную окружения EXTERNAL_SOCKS_API_TOKEN.</translation>
    </message>
    <message>
        <source>No OS keyring is available on this machine; the token is not stored in a file instead. Export EXTERNAL_SOCKS_API_TOKEN in the environment that runs the app.</source>
        <translation>На этой машине нет доступного хранилища ключей ОС; в файл токен не сохраняется. Задайте EXTERNAL_SOCKS_API_TOKEN в окружении, в котором запускается приложение.</translation>
    </message>
    <message>
        <source>Wait for it to finish and try again.</source>
        <translation>Дождитесь завершения и повторите попытку.</translation>
    </message>
    <message>
        <source>Check the API token in Settings (or EXTERNAL_SOCKS_API_TOKEN).</source>
        <extracomment>True when the request may have reached the provider and had its effect (buy/refund).</extracomment>
        <translation>Проверьте API-токен в настройках (или EXTERNAL_SOCKS_API_TOKEN).</translation>
    </message>
    <message>
        <source>Top up the shop&apos;s account at the provider, then sell again.</source>
        <translation>Пополните баланс магазина у провайдера и повторите продажу.</translation>
    </message>
    <message>
        <source>No sale happened. Run a sync and choose another proxy.</source>
        <translation>Продажа не состоялась. Запустите синхронизацию и выберите другой прокси.</translation>
    </message>
    <message>
        <source>The provider refunds only proxies that went offline, once.</source>
        <translation>Провайдер делает возврат только за прокси, ушедшие в офлайн, и только один раз.</translation>
    </message>
    <message>
        <source>The provider asks us to slow down; try again in a minute.</source>
        <translation>Провайдер просит снизить частоту запросов; повторите через минуту.</translation>
    </message>
    <message>
        <source>Check the provider URL and the network; the app keeps working on local data.</source>
        <translation>Проверьте адрес провайдера и сеть; приложение продолжает работать с локальными данными.</translation>
    </message>
    <message>
        <source>The provider did not answer in time; raise EXTERNAL_SOCKS_API_TIMEOUT or try again later.</source>
        <translation>Провайдер не ответил вовремя; увеличьте EXTERNAL_SOCKS_API_TIMEOUT или повторите позже.</translation>
    </message>
    <message>
        <source>The provider (or a proxy in front of it) sent an invalid answer; try again later.</source>
        <translation>Провайдер (или прокси перед ним) прислал некорректный ответ; повторите позже.</translation>
    </message>
    <message>
        <source>The provider may have charged it. The order is kept as pending; run `proxyshop-desktop reconcile` (or Reconcile in the Sales tab) to settle it.</source>
        <translation>Провайдер мог списать оплату. Покупка сохранена как ожидающая; чтобы её урегулировать, запустите `proxyshop-desktop reconcile` (или «Сверка» на вкладке «Продажи»).</translation>
    </message>
    <message>
        <source>The provider rejected the API token (HTTP {0}).</source>
        <translation>Провайдер отклонил API-токен (HTTP {0}).</translation>
    </message>
    <message>
        <source>The provider is rate limiting us (retry after {0} s).</source>
        <translation>Провайдер ограничивает частоту запросов (повтор через {0} с).</translation>
    </message>
    <message>
        <source>The provider is rate limiting us.</source>
        <translation>Провайдер ограничивает частоту запросов.</translation>
    </message>
    <message>
        <source>The provider account balance is too low to buy this proxy.</source>
        <translation>Недостаточно средств на балансе у провайдера, чтобы купить этот прокси.</translation>
    </message>
    <message>
        <source>The provider no longer has this proxy (HTTP 404).</source>
        <translation>У провайдера больше нет этого прокси (HTTP 404).</translation>
    </message>
    <message>
        <source>The provider&apos;s remote proxy server failed (HTTP 503).</source>
        <translation>Удалённый прокси-сервер провайдера дал сбой (HTTP 503).</translation>
    </message>
    <message>
        <source>The provider does not know this {0} id (HTTP 404).</source>
        <translation>Провайдеру неизвестен этот ID ({0}) (HTTP 404).</translation>
    </message>
    <message>
        <source>The provider refused the refund: not refundable, or the proxy is still live.</source>
        <translation>Провайдер отказал в возврате: возврат невозможен или прокси ещё работает.</translation>
    </message>
    <message>
        <source>The provider failed while handling the {0} (HTTP {1}); it may have happened.</source>
        <translation>У провайдера произошёл сбой при обработке запроса {0} (HTTP {1}); операция могла выполниться.</translation>
    </message>
    <message>
        <source>The provider is failing (HTTP {0}).</source>
        <translation>У провайдера сбой (HTTP {0}).</translation>
    </message>
    <message>
        <source>The provider answered HTTP {0} to {1}.</source>
        <translation>Провайдер ответил HTTP {0} на запрос {1}.</translation>
    </message>
    <message>
        <source>The provider&apos;s answer to {0} is larger than {1} MB; the {0} may have happened.</source>
        <translation>Ответ провайдера на запрос {0} больше {1} МБ; операция {0} могла выполниться.</translation>
    </message>
    <message>
        <source>The provider&apos;s answer to {0} is larger than {1} MB; it was not read further.</source>
        <translation>Ответ провайдера на запрос {0} больше {1} МБ; дальше он не читался.</translation>
    </message>
    <message>
        <source>If the provider really sends pages this large, raise EXTERNAL_SOCKS_MAX_REPLY_MB or lower the sync page size; otherwise try again later.</source>
        <translation>Если провайдер действительно присылает такие большие страницы, увеличьте EXTERNAL_SOCKS_MAX_REPLY_MB или уменьшите размер страницы синхронизации; иначе повторите позже.</translation>
    </message>
    <message>
        <source>The provider&apos;s TLS certificate could not be verified; nothing was sent.</source>
        <translation>Не удалось проверить TLS-сертификат провайдера; ничего не отправлено.</translation>
    </message>
    <message>
        <source>Check the provider URL (host name and scheme). If the provider changed its certificate, make sure the system&apos;s CA certificates are up to date.</source>
        <translation>Проверьте адрес провайдера (имя хоста и схему). Если провайдер сменил сертификат, убедитесь, что корневые сертификаты системы актуальны.</translation>
    </message>
    <message>
        <source>Cannot reach the provider ({0}).</source>
        <translation>Не удаётся связаться с провайдером ({0}).</translation>
    </message>
    <message>
        <source>The provider did not answer the {0} in time; it may have happened.</source>
        <translation>Провайдер не ответил на запрос {0} вовремя; операция могла выполниться.</translation>
    </message>
    <message>
        <source>The provider did not answer in {0} s ({1}).</source>
        <translation>Провайдер не ответил за {0} с ({1}).</translation>
    </message>
    <message>
        <source>The connection dropped during the {0}; it may have happened.</source>
        <translation>Соединение оборвалось во время запроса {0}; операция могла выполниться.</translation>
    </message>
    <message>
        <source>The connection to the provider failed ({0}).</source>
        <translation>Соединение с провайдером не удалось ({0}).</translation>
    </message>
    <message>
        <source>The provider redirected the {0} (HTTP {1}).</source>
        <translation>Провайдер перенаправил запрос {0} (HTTP {1}).</translation>
    </message>
    <message>
        <source>The provider sent an empty answer to {0}.</source>
        <translation>Провайдер прислал пустой ответ на запрос {0}.</translation>
    </message>
    <message>
        <source>The provider sent an HTML page instead of JSON to {0}.</source>
        <translation>Провайдер прислал HTML-страницу вместо JSON на запрос {0}.</translation>
    </message>
    <message>
        <source>The provider sent invalid JSON instead of JSON to {0}.</source>
        <translation>Провайдер прислал некорректный JSON на запрос {0}.</translation>
    </message>
    <message>
        <source>The provider&apos;s purchase list did not end after {0} pages.</source>
        <translation>Список покупок у провайдера не закончился после {0} страниц.</translation>
    </message>
    <message>
        <source>The provider may have charged the sale.</source>
        <translation>Провайдер мог списать оплату за продажу.</translation>
    </message>
    <message>
        <source>The provider sent JSON to {0} that cannot be read safely ({1}: nested too deep, or a number too long).</source>
        <translation>Провайдер прислал на запрос {0} JSON, который нельзя безопасно прочитать ({1}: слишком глубокая вложенность или слишком длинное число).</translation>
    </message>
    <message>
        <source>the settings file</source>
        <extracomment>the proxy check fetches this through the sold proxy: it must answer the caller&apos;s IP (plain text, or JSON {&quot;ip&quot;: ...}); the demo points it at the simulator&apos;s own page the alert kinds (issue 14), each switchable in `alert_events` setting name -&gt; environment variable that overrides it a shared database&apos;s URL (models/target.py reads the rest of it); empty means SQLite decoded size at which a provider answer is given up (a 1000-item page is ~0.4 MB): a compressed bomb must not inflate in memory (issue 15) a shared PostgreSQL database (issue 11): postgresql://user@host:port/dbname?sslmode=...; empty = the SQLite file in the data dir. Its password is never here (keyring, .pgpass). who works this copy of the app, recorded on every order and audit event; empty = user@host</extracomment>
        <translation>файл настроек</translation>
    </message>
    <message>
        <source>The settings file {0} cannot be read ({1}).</source>
        <translation>Файл настроек {0} не читается ({1}).</translation>
    </message>
    <message>
        <source>Fix its permissions or delete it; the defaults and environment variables apply without it.</source>
        <translation>Исправьте права доступа к нему или удалите его; без него действуют значения по умолчанию и переменные окружения.</translation>
    </message>
    <message>
        <source>The settings file {0} is not valid JSON ({1}).</source>
        <translation>Файл настроек {0} содержит некорректный JSON ({1}).</translation>
    </message>
    <message>
        <source>Fix or delete it; the defaults and environment variables apply without it.</source>
        <translation>Исправьте или удалите его; без него действуют значения по умолчанию и переменные окружения.</translation>
    </message>
    <message>
        <source>The settings file {0} must hold a JSON object.</source>
        <translation>Файл настроек {0} должен содержать JSON-объект.</translation>
    </message>
    <message>
        <source>Fix or delete it.</source>
        <translation>Исправьте или удалите его.</translation>
    </message>
    <message>
        <source>The settings file {0} has unknown settings: {1}.</source>
        <translation>В файле настроек {0} есть неизвестные параметры: {1}.</translation>
    </message>
    <message>
        <source>Remove them (the API token is never stored in this file).</source>
        <translation>Удалите их (API-токен в этом файле никогда не хранится).</translation>
    </message>
    <message>
        <source>Correct the value and start again.</source>
        <translation>Исправьте значение и запустите снова.</translation>
    </message>
    <message>
        <source>the settings file&apos;s temporary copy</source>
        <translation>временную копию файла настроек</translation>
    </message>
    <message>
        <source>the log file</source>
        <extracomment>loggers that would write URLs, headers or SQL parameters (customer passwords) at INFO/DEBUG</extracomment>
        <translation>файл журнала</translation>
    </message>
    <message>
        <source>the old log file</source>
        <translation>старый файл журнала</translation>
    </message>
    <message>
        <source>Cannot write the log file {0}: {1}.</source>
        <translation>Не удалось записать файл журнала {0}: {1}.</translation>
    </message>
    <message>
        <source>Make the data dir writable, or point PROXYSHOP_DATA_DIR at a folder you own.</source>
        <translation>Дайте право записи в папку данных или укажите в PROXYSHOP_DATA_DIR свою папку.</translation>
    </message>
    <message>
        <source>Cannot use the data dir {0}: {1} belongs to another user (uid {2}, this is uid {3}).</source>
        <translation>Нельзя использовать папку данных {0}: {1} принадлежит другому пользователю (uid {2}, текущий uid {3}).</translation>
    </message>
    <message>
        <source>Run ProxyShop as that user, or point {0} at a folder you own.</source>
        <translation>Запускайте ProxyShop от имени этого пользователя или укажите в {0} свою папку.</translation>
    </message>
    <message>
        <source>Cannot use the data dir {0}: {1} is writable by other users (mode {2}).</source>
        <translation>Нельзя использовать папку данных {0}: в {1} могут писать другие пользователи (права {2}).</translation>
    </message>
    <message>
        <source>They could have put files in it that ProxyShop would trust: check what is in it, then make it owner-only (chmod 700 &apos;{0}&apos;), or point {1} at a folder you own.</source>
        <translation>Они могли положить туда файлы, которым ProxyShop доверился бы: проверьте её содержимое, затем оставьте доступ только владельцу (chmod 700 &apos;{0}&apos;) или укажите в {1} свою папку.</translation>
    </message>
    <message>
        <source>Cannot use the data dir {0}: {1} is a file, not a folder.</source>
        <translation>Нельзя использовать папку данных {0}: {1} — файл, а не папка.</translation>
    </message>
    <message>
        <source>Move that file away, or point {0} at a folder you own.</source>
        <translation>Уберите этот файл или укажите в {0} свою папку.</translation>
    </message>
    <message>
        <source>Cannot use the data dir {0}: {1} is on a read-only file system.</source>
        <translation>Нельзя использовать папку данных {0}: {1} находится на файловой системе только для чтения.</translation>
    </message>
    <message>
        <source>Mount it writable, or point {0} at a folder you own.</source>
        <translation>Смонтируйте её с правом записи или укажите в {0} свою папку.</translation>
    </message>
    <message>
        <source>Cannot use the data dir {0}: the disk holding {1} is full.</source>
        <translation>Нельзя использовать папку данных {0}: диск, на котором находится {1}, заполнен.</translation>
    </message>
    <message>
        <source>Free some space on that disk, then try again.</source>
        <translation>Освободите место на этом диске и повторите попытку.</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>доступ запрещён</translation>
    </message>
    <message>
        <source>Cannot use the data dir {0}: {1}: {2}.</source>
        <translation>Нельзя использовать папку данных {0}: {1}: {2}.</translation>
    </message>
    <message>
        <source>Make it (or the folder it is created in) writable by this user, or point {0} at a folder you own.</source>
        <translation>Дайте этому пользователю право записи в неё (или в папку, где она создаётся) или укажите в {0} свою папку.</translation>
    </message>
    <message>
        <source>Cannot use {0} {1}: {2}.</source>
        <translation>Нельзя использовать {0} {1}: {2}.</translation>
    </message>
    <message>
        <source>{0}, or point {1} at a folder you own.</source>
        <translation>{0} или укажите в {1} свою папку.</translation>
    </message>
    <message>
        <source>it is a symbolic link (to {0})</source>
        <translation>это символическая ссылка (на {0})</translation>
    </message>
    <message>
        <source>it is a symbolic link</source>
        <translation>это символическая ссылка</translation>
    </message>
    <message>
        <source>{0}; ProxyShop never follows a link in its data dir (one could send the data elsewhere)</source>
        <translation>{0}; ProxyShop никогда не переходит по ссылкам в своей папке данных (так данные могли бы уйти в другое место)</translation>
    </message>
    <message>
        <source>Move the link away (put the real file there if it was yours)</source>
        <translation>Уберите ссылку (и положите на её место настоящий файл, если он ваш)</translation>
    </message>
    <message>
        <source>it is a folder, not a file</source>
        <translation>это папка, а не файл</translation>
    </message>
    <message>
        <source>Move that folder away</source>
        <translation>Уберите эту папку</translation>
    </message>
    <message>
        <source>it is not a regular file</source>
        <translation>это не обычный файл</translation>
    </message>
    <message>
        <source>Move it away</source>
        <translation>Уберите его</translation>
    </message>
    <message>
        <source>it belongs to another user (uid {0}, this is uid {1})</source>
        <translation>он принадлежит другому пользователю (uid {0}, текущий uid {1})</translation>
    </message>
    <message>
        <source>Move it away after checking how it got there</source>
        <translation>Уберите его, выяснив, откуда он взялся</translation>
    </message>
    <message>
        <source>it was replaced while it was being opened</source>
        <translation>его подменили во время открытия</translation>
    </message>
    <message>
        <source>Make sure no other program writes in the data dir, then try again</source>
        <translation>Убедитесь, что никакая другая программа не пишет в папку данных, и повторите попытку</translation>
    </message>
    <message>
        <source>No usable OS keyring backend ({0}).</source>
        <translation>Нет рабочего хранилища ключей ОС ({0}).</translation>
    </message>
    <message>
        <source>The OS keyring refused to read the token ({0}).</source>
        <translation>Хранилище ключей ОС отказалось прочитать токен ({0}).</translation>
    </message>
    <message>
        <source>No provider API token is set.</source>
        <translation>API-токен провайдера не задан.</translation>
    </message>
    <message>
        <source>The token is empty.</source>
        <translation>Токен пустой.</translation>
    </message>
    <message>
        <source>Paste the API key your provider gave you.</source>
        <translation>Вставьте API-ключ, который выдал провайдер.</translation>
    </message>
    <message>
        <source>The token contains whitespace.</source>
        <translation>В токене есть пробельные символы.</translation>
    </message>
    <message>
        <source>Paste the API key exactly, on one line.</source>
        <translation>Вставьте API-ключ точно, одной строкой.</translation>
    </message>
    <message>
        <source>The OS keyring refused to store the token ({0}).</source>
        <translation>Хранилище ключей ОС отказалось сохранить токен ({0}).</translation>
    </message>
    <message>
        <source>The OS keyring refused to delete the token ({0}).</source>
        <translation>Хранилище ключей ОС отказалось удалить токен ({0}).</translation>
    </message>
    <message>
        <source>the backup</source>
        <translation>резервную копию</translation>
    </message>
    <message>
        <source>Install the PostgreSQL client programs (Debian/Ubuntu: `sudo apt install postgresql-client`, of the server&apos;s major version or newer), or set PG_BINDIR to the folder holding them.</source>
        <extracomment>a PostgreSQL shop&apos;s backups: pg_dump&apos;s custom format (pg_restore reads it) the first bytes of pg_dump&apos;s custom format</extracomment>
        <translation>Установите клиентские программы PostgreSQL (Debian/Ubuntu: `sudo apt install postgresql-client`, основной версии сервера или новее) или укажите в PG_BINDIR папку с ними.</translation>
    </message>
    <message>
        <source>{0} is not installed: it makes and restores PostgreSQL backups.</source>
        <translation>{0} не установлен: он нужен для создания и восстановления резервных копий PostgreSQL.</translation>
    </message>
    <message>
        <source>pg_dump could not back up {0}: {1}</source>
        <translation>pg_dump не смог сделать резервную копию {0}: {1}</translation>
    </message>
    <message>
        <source>pg_dump must be of the server&apos;s major version or newer. {0}</source>
        <translation>Основная версия pg_dump должна быть не ниже версии сервера. {0}</translation>
    </message>
    <message>
        <source>pg_dump wrote an unreadable backup of {0}: {1}.</source>
        <translation>pg_dump записал нечитаемую резервную копию {0}: {1}.</translation>
    </message>
    <message>
        <source>Restoring {0} into {1} failed; the database was left as it was: {2}</source>
        <extracomment>Before the dump&apos;s own statements, in the same transaction: drop every table, function, collation and sequence of the shop&apos;s schema (not an extension&apos;s), so that objects of a newer schema than the dump&apos;s are not left behind for the next migration to trip on. pg_restore&apos;s --clean would drop only what the dump holds, and the pg_trgm extension, which a database user may not own.</extracomment>
        <translation>Не удалось восстановить {0} в {1}; база данных осталась без изменений: {2}</translation>
    </message>
    <message>
        <source>pg_restore and psql must be of the server&apos;s major version or newer. {0}</source>
        <translation>Основная версия pg_restore и psql должна быть не ниже версии сервера. {0}</translation>
    </message>
    <message>
        <source>the lock file</source>
        <translation>файл блокировки</translation>
    </message>
    <message>
        <source>Cannot create the lock file {0}: {1}.</source>
        <translation>Не удалось создать файл блокировки {0}: {1}.</translation>
    </message>
    <message>
        <source>Make {0} writable by this user, or point PROXYSHOP_DATA_DIR at a folder you own.</source>
        <translation>Дайте этому пользователю право записи в {0} или укажите в PROXYSHOP_DATA_DIR свою папку.</translation>
    </message>
    <message>
        <source>Another ProxyShop process is running {0}.</source>
        <translation>Занято другим процессом ProxyShop: {0}.</translation>
    </message>
    <message>
        <source>The database {0}</source>
        <extracomment>the files SQLite keeps next to the database less free space than this, and a disk I/O error is called a full disk</extracomment>
        <translation>База данных {0}</translation>
    </message>
    <message>
        <source>The database</source>
        <translation>База данных</translation>
    </message>
    <message>
        <source>The database is busy in another ProxyShop process.</source>
        <translation>База данных занята другим процессом ProxyShop.</translation>
    </message>
    <message>
        <source>Wait a moment and try again.</source>
        <translation>Подождите немного и повторите попытку.</translation>
    </message>
    <message>
        <source>The disk holding {0} is full: the change was not saved.</source>
        <translation>Диск, на котором находится {0}, заполнен: изменение не сохранено.</translation>
    </message>
    <message>
        <source>The disk holding the data dir is full: the change was not saved.</source>
        <translation>Диск с папкой данных заполнен: изменение не сохранено.</translation>
    </message>
    <message>
        <source>Free some space on that disk (old backups and exports can go), then try again.</source>
        <translation>Освободите место на этом диске (можно удалить старые резервные копии и выгрузки) и повторите попытку.</translation>
    </message>
    <message>
        <source>{0} cannot be opened for writing.</source>
        <translation>{0}: не открывается для записи.</translation>
    </message>
    <message>
        <source>{0} could not be read or written (disk I/O error); the change was not saved.</source>
        <translation>{0}: ошибка чтения или записи (ошибка ввода-вывода диска); изменение не сохранено.</translation>
    </message>
    <message>
        <source>Check the disk (free space, quota, the system log). If the error stays, restore a backup with `proxyshop-desktop restore FILE` (backups are in the data dir).</source>
        <translation>Проверьте диск (свободное место, квоту, системный журнал). Если ошибка не уходит, восстановите резервную копию командой `proxyshop-desktop restore FILE` (копии лежат в папке данных).</translation>
    </message>
    <message>
        <source>{0} is damaged or unreadable ({1}).</source>
        <translation>{0}: повреждена или не читается ({1}).</translation>
    </message>
    <message>
        <source>Restore a backup with `proxyshop-desktop restore FILE` (backups are in the data dir).</source>
        <translation>Восстановите резервную копию командой `proxyshop-desktop restore FILE` (копии лежат в папке данных).</translation>
    </message>
    <message>
        <source>Database error: {0}.</source>
        <translation>Ошибка базы данных: {0}.</translation>
    </message>
    <message>
        <source>(default)</source>
        <extracomment>the PostgreSQL table holding the schema version (SQLite keeps it in the file header) a database, or the models&apos; proxy standing for the calling thread&apos;s one</extracomment>
        <translation>(по умолчанию)</translation>
    </message>
    <message>
        <source>the database server {0} refused the login of user {1}: {2}</source>
        <translation>сервер базы данных {0} не пустил пользователя {1}: {2}</translation>
    </message>
    <message>
        <source>Set the password with `proxyshop-desktop db-password set` (or in ~/.pgpass / PGPASSWORD), and check the user name in the database URL.</source>
        <translation>Задайте пароль командой `proxyshop-desktop db-password set` (или в ~/.pgpass / PGPASSWORD) и проверьте имя пользователя в адресе базы данных.</translation>
    </message>
    <message>
        <source>The database {0} does not exist on the database server {1}.</source>
        <translation>На сервере базы данных {1} нет базы {0}.</translation>
    </message>
    <message>
        <source>Create it first (createdb {0}), or correct the database URL.</source>
        <translation>Сначала создайте её (createdb {0}) или исправьте адрес базы данных.</translation>
    </message>
    <message>
        <source>the database server {0} denied this database user a needed right: {1}</source>
        <translation>сервер базы данных {0} отказал этому пользователю в нужном праве: {1}</translation>
    </message>
    <message>
        <source>Make the user the owner of the database (ALTER DATABASE ... OWNER TO ...), or ask its administrator.</source>
        <translation>Сделайте пользователя владельцем базы данных (ALTER DATABASE ... OWNER TO ...) или обратитесь к её администратору.</translation>
    </message>
    <message>
        <source>Cannot reach the database server {0}: {1}</source>
        <translation>Нет связи с сервером базы данных {0}: {1}</translation>
    </message>
    <message>
        <source>Check that the server runs and that this machine may connect to it (host, port, firewall, pg_hba.conf); nothing was half-saved, try again.</source>
        <translation>Проверьте, что сервер работает и этот компьютер может к нему подключиться (адрес, порт, файрвол, pg_hba.conf); ничего не сохранено наполовину, повторите попытку.</translation>
    </message>
    <message>
        <source>Database error: {0}</source>
        <translation>Ошибка базы данных: {0}</translation>
    </message>
    <message>
        <source>Try again; if it persists, check the log file.</source>
        <translation>Повторите попытку; если ошибка повторяется, загляните в файл журнала.</translation>
    </message>
    <message>
        <source>the data dir</source>
        <extracomment>how long a passed full integrity check of a database file is trusted</extracomment>
        <translation>папку данных</translation>
    </message>
    <message>
        <source>Make {0} (and the files in it) writable by this user and check its disk is not full, or point {1} at a folder you own.</source>
        <translation>Дайте этому пользователю право записи в {0} (и в файлы в ней) и проверьте, что диск не заполнен, или укажите в {1} свою папку.</translation>
    </message>
    <message>
        <source>the database start-up</source>
        <extracomment>told (on the DB thread) when the database stops answering (the error) and when it answers again (None): the window&apos;s status indicator</extracomment>
        <translation>запуск базы данных</translation>
    </message>
    <message>
        <source>The database path {0} is a folder, not a database file.</source>
        <translation>Путь к базе данных {0} — папка, а не файл базы данных.</translation>
    </message>
    <message>
        <source>Move that folder away, or point {0} at another data dir.</source>
        <translation>Уберите эту папку или укажите в {0} другую папку данных.</translation>
    </message>
    <message>
        <source>the database</source>
        <translation>базу данных</translation>
    </message>
    <message>
        <source>Cannot open or create the database {0}: {1}.</source>
        <translation>Не удалось открыть или создать базу данных {0}: {1}.</translation>
    </message>
    <message>
        <source>The database {0} comes from a newer ProxyShop (schema {1}, this app knows {2}).</source>
        <translation>База данных {0} создана более новой версией ProxyShop (схема {1}, эта версия знает {2}).</translation>
    </message>
    <message>
        <source>Run the newer version, or restore a backup made by this one.</source>
        <translation>Запустите более новую версию или восстановите резервную копию, сделанную этой.</translation>
    </message>
    <message>
        <source>Run the newer version on every machine using this database.</source>
        <translation>Запустите более новую версию на всех компьютерах, которые работают с этой базой.</translation>
    </message>
    <message>
        <source>The database {0} that SQLite opened is not the file checked.</source>
        <translation>База данных {0}, которую открыл SQLite, — не тот файл, что был проверен.</translation>
    </message>
    <message>
        <source>Make sure no other program writes in the data dir, then try again.</source>
        <translation>Убедитесь, что никакая другая программа не пишет в папку данных, и повторите попытку.</translation>
    </message>
    <message>
        <source>Cannot use the files beside the database {0}: {1}.</source>
        <translation>Нельзя использовать файлы рядом с базой данных {0}: {1}.</translation>
    </message>
    <message>
        <source>the database&apos;s {0} file</source>
        <translation>файл {0} базы данных</translation>
    </message>
    <message>
        <source>The database {0} failed its integrity check ({1}).</source>
        <translation>База данных {0} не прошла проверку целостности ({1}).</translation>
    </message>
    <message>
        <source>Restore a backup with `proxyshop-desktop restore FILE`; the damaged file is left untouched.</source>
        <translation>Восстановите резервную копию командой `proxyshop-desktop restore FILE`; повреждённый файл останется нетронутым.</translation>
    </message>
    <message>
        <source>Cannot write the backup {0}: {1}.</source>
        <translation>Не удалось записать резервную копию {0}: {1}.</translation>
    </message>
    <message>
        <source>Check the free space and permissions of the data dir.</source>
        <translation>Проверьте свободное место и права доступа к папке данных.</translation>
    </message>
    <message>
        <source>{0} is a backup of a PostgreSQL database, and this shop uses the SQLite file {1}.</source>
        <translation>{0} — резервная копия базы PostgreSQL, а этот магазин работает с файлом SQLite {1}.</translation>
    </message>
    <message>
        <source>Point PROXYSHOP_DATABASE_URL (or database_url in the settings) at the PostgreSQL database to restore it into, then restore again.</source>
        <translation>Укажите в PROXYSHOP_DATABASE_URL (или database_url в настройках) базу PostgreSQL, в которую её восстановить, и повторите восстановление.</translation>
    </message>
    <message>
        <source>Cannot restore: {0}.</source>
        <translation>Восстановление невозможно: {0}.</translation>
    </message>
    <message>
        <source>Choose a backup file from the backups dir.</source>
        <translation>Выберите файл резервной копии из папки резервных копий.</translation>
    </message>
    <message>
        <source>Cannot restore {0}: it comes from a newer ProxyShop (schema {1}).</source>
        <translation>Нельзя восстановить {0}: копия сделана более новой версией ProxyShop (схема {1}).</translation>
    </message>
    <message>
        <source>Restore it with that version, or choose an older backup.</source>
        <translation>Восстановите её той версией или выберите более старую копию.</translation>
    </message>
    <message>
        <source>That file is the current database.</source>
        <translation>Этот файл и есть текущая база данных.</translation>
    </message>
    <message>
        <source>Choose a backup file instead.</source>
        <translation>Выберите вместо него файл резервной копии.</translation>
    </message>
    <message>
        <source>Another ProxyShop process is using the data dir; close it first.</source>
        <translation>Папку данных использует другой процесс ProxyShop; сначала закройте его.</translation>
    </message>
    <message>
        <source>Quit the window (and any running command or scheduled sync), then restore again.</source>
        <translation>Закройте окно (и все запущенные команды или синхронизацию по расписанию), затем повторите восстановление.</translation>
    </message>
    <message>
        <source>{0} is a folder, not a database. Move that folder away, then restore again.</source>
        <translation>{0} — папка, а не база данных. Уберите эту папку и повторите восстановление.</translation>
    </message>
    <message>
        <source>Free some space on the disk holding {0}, then try again.</source>
        <translation>Освободите место на диске, где находится {0}, и повторите попытку.</translation>
    </message>
    <message>
        <source>Check that {0} is writable and its disk has space, then try again.</source>
        <translation>Проверьте, что в {0} можно писать и на диске есть место, и повторите попытку.</translation>
    </message>
    <message>
        <source>Cannot save the current database {0} before restoring: {1}. Nothing was changed.</source>
        <translation>Не удалось сохранить текущую базу данных {0} перед восстановлением: {1}. Ничего не изменено.</translation>
    </message>
    <message>
        <source>the copy</source>
        <translation>копию</translation>
    </message>
    <message>
        <source>Cannot restore {0}: {1}.</source>
        <translation>Нельзя восстановить {0}: {1}.</translation>
    </message>
    <message>
        <source>Choose another backup file.</source>
        <translation>Выберите другой файл резервной копии.</translation>
    </message>
    <message>
        <source>Cannot restore into {0}: {1}.</source>
        <translation>Не удалось восстановить в {0}: {1}.</translation>
    </message>
    <message>
        <source>a sync</source>
        <translation>синхронизация</translation>
    </message>
    <message>
        <source>Another ProxyShop process is running a sync.</source>
        <translation>Другой процесс ProxyShop уже выполняет синхронизацию.</translation>
    </message>
    <message>
        <source>Another machine is syncing the shop.</source>
        <translation>Другой компьютер уже синхронизирует магазин.</translation>
    </message>
    <message>
        <source>another operator</source>
        <translation>другой оператор</translation>
    </message>
    <message>
        <source>Synced by {0} {1} s ago</source>
        <translation>Синхронизировал {0} {1} с назад</translation>
    </message>
    <message>
        <source>Cleaned up by {0} {1} s ago</source>
        <translation>Очистку запустил {0} {1} с назад</translation>
    </message>
    <message>
        <source>{0} (another ProxyShop process is running it now).</source>
        <translation>{0} (сейчас её выполняет другой процесс ProxyShop).</translation>
    </message>
    <message>
        <source>{0} (another machine is running it now).</source>
        <translation>{0} (сейчас её выполняет другой компьютер).</translation>
    </message>
    <message>
        <source>Nothing to do: that run keeps the shop&apos;s inventory up to date.</source>
        <translation>Ничего делать не нужно: этот запуск поддерживает наличие магазина в актуальном состоянии.</translation>
    </message>
    <message>
        <source>a restore</source>
        <translation>восстановление</translation>
    </message>
    <message>
        <source>alert delivery</source>
        <extracomment>waits after a failure, by the alert&apos;s attempts so far (unreachable Telegram, bad token)</extracomment>
        <translation>отправка оповещений</translation>
    </message>
    <message>
        <source>Cannot write a menu entry for a path with a line break: {0}.</source>
        <extracomment>characters that make the Exec key&apos;s argument need quoting (Desktop Entry spec, &quot;The Exec key&quot;)</extracomment>
        <translation>Нельзя создать пункт меню для пути с переводом строки: {0}.</translation>
    </message>
    <message>
        <source>Install ProxyShop in a folder whose path has no line break.</source>
        <translation>Установите ProxyShop в папку, в пути к которой нет перевода строки.</translation>
    </message>
    <message>
        <source>Cannot write the menu entry under {0}: {1}.</source>
        <translation>Не удалось записать пункт меню в {0}: {1}.</translation>
    </message>
    <message>
        <source>Check that the folder is yours and writable, or set XDG_DATA_HOME.</source>
        <translation>Проверьте, что папка принадлежит вам и доступна для записи, или задайте XDG_DATA_HOME.</translation>
    </message>
    <message>
        <source>Cannot remove {0}: {1}.</source>
        <translation>Не удалось удалить {0}: {1}.</translation>
    </message>
    <message>
        <source>Remove it by hand.</source>
        <translation>Удалите его вручную.</translation>
    </message>
    <message>
        <source>The application icon is missing from this installation.</source>
        <translation>В этой установке нет значка приложения.</translation>
    </message>
    <message>
        <source>Reinstall ProxyShop Desktop.</source>
        <translation>Переустановите ProxyShop Desktop.</translation>
    </message>
    <message>
        <source>The provider&apos;s proxy listing is not the expected JSON object.</source>
        <extracomment>An id or a status is a JSON integer: lax mode would read `true` as 1 (proxy 1, online). Anything else sends the page to the tolerant path, which reads &quot;12&quot; as 12 and blanks the rest.</extracomment>
        <translation>Список прокси от провайдера — не ожидаемый JSON-объект.</translation>
    </message>
    <message>
        <source>The provider&apos;s proxy listing has no list of proxies.</source>
        <translation>В ответе провайдера со списком прокси нет самого списка.</translation>
    </message>
    <message>
        <source>The provider&apos;s proxy lookup has no proxy_id.</source>
        <translation>В ответе провайдера о прокси нет proxy_id.</translation>
    </message>
    <message>
        <source>The provider&apos;s {0} is malformed ({1}).</source>
        <translation>Ответ провайдера ({0}) некорректен ({1}).</translation>
    </message>
    <message>
        <source>The provider&apos;s purchase list is not a JSON array.</source>
        <translation>Список покупок от провайдера — не JSON-массив.</translation>
    </message>
    <message>
        <source>The provider&apos;s refund check is malformed ({0}).</source>
        <translation>Ответ провайдера о возможности возврата некорректен ({0}).</translation>
    </message>
    <message>
        <source>Unknown export format {0}.</source>
        <extracomment>every character str.splitlines() ends a line at: most readers of a TXT file split on them a selection larger than this goes through a temp table, not `IN (?, ?, …)` parameters the left-out sales named in a result (the count is always exact); keeps memory flat progress(orders done, orders in all), called on the caller&apos;s loop between chunks</extracomment>
        <translation>Неизвестный формат экспорта {0}.</translation>
    </message>
    <message>
        <source>Use csv or txt.</source>
        <translation>Используйте csv или txt.</translation>
    </message>
    <message>
        <source>The folder {0} does not exist.</source>
        <translation>Папки {0} не существует.</translation>
    </message>
    <message>
        <source>Create it first or choose another path.</source>
        <translation>Сначала создайте её или выберите другой путь.</translation>
    </message>
    <message>
        <source>{0} is a folder.</source>
        <translation>{0} — это папка.</translation>
    </message>
    <message>
        <source>Give the path of the file to write.</source>
        <translation>Укажите путь к файлу, который нужно записать.</translation>
    </message>
    <message>
        <source>Invalid country code &apos;{0}&apos;: use a 2-letter ISO code like US</source>
        <extracomment>InventoryRow&apos;s fields in order (price is not stored) -&gt; the SQL that reads each; inventory_cache.RowBuilder unpacks the selected tuples in this order. sort key (a column of InventoryRow) -&gt; SQL terms after which product_id breaks ties. The country column shows &quot;US — United States&quot;: it sorts by code, then city, in the order of the (country_code, city, id) index, so the default view needs no sort step at all.</extracomment>
        <translation>Неверный код страны &apos;{0}&apos;: укажите двухбуквенный код ISO, например US</translation>
    </message>
    <message>
        <source>Invalid proxy type &apos;{0}&apos;: use one of {1}.</source>
        <translation>Неверный тип прокси &apos;{0}&apos;: допустимы {1}.</translation>
    </message>
    <message>
        <source>Invalid max speed &apos;{0}&apos;: give milliseconds, e.g. 300.</source>
        <translation>Неверная максимальная скорость &apos;{0}&apos;: укажите миллисекунды, например 300.</translation>
    </message>
    <message>
        <source>Invalid page {0}: pages start at 1.</source>
        <translation>Неверная страница {0}: страницы нумеруются с 1.</translation>
    </message>
    <message>
        <source>Invalid page size {0}: use 1 to {1}.</source>
        <translation>Неверный размер страницы {0}: допустимо от 1 до {1}.</translation>
    </message>
    <message>
        <source>Cannot sort by &apos;{0}&apos;: use one of {1}.</source>
        <translation>Нельзя сортировать по &apos;{0}&apos;: допустимы {1}.</translation>
    </message>
    <message>
        <source>The provider&apos;s listing did not end after {0} pages.</source>
        <extracomment>A sync or cleanup that would remove more than this share of the inventory it covers fetches the listing again and removes only what both listings lack (issue 15): a provider hiccup that drops part of one listing must not empty the shop. A page can be held back only until the pages before it are handed on; scheduling stops this many pages ahead of the last one handed on, so a stuck page cannot make the others pile up.</extracomment>
        <translation>Список у провайдера не закончился и за {0} стр.</translation>
    </message>
    <message>
        <source>The provider&apos;s listing has more than {0} items; nothing was changed.</source>
        <translation>В списке у провайдера больше {0} позиций; ничего не изменено.</translation>
    </message>
    <message>
        <source>The provider&apos;s listing is incomplete: its items ended after {0} pages but it announced {1} pages. Nothing was changed.</source>
        <translation>Список у провайдера неполный: позиции закончились на {0} стр., а заявлено {1} стр. Ничего не изменено.</translation>
    </message>
    <message>
        <source>This is usually a passing fault at the provider; sync again in a few minutes.</source>
        <translation>Обычно это временный сбой у провайдера; повторите синхронизацию через несколько минут.</translation>
    </message>
    <message>
        <source>Orders cannot be sorted by {0}.</source>
        <extracomment>sort key -&gt; SQL expression; each has an index (a DESC walk of it is as cheap as ASC) above this many matches, walk the sort index instead of sorting the matches</extracomment>
        <translation>Покупки нельзя сортировать по {0}.</translation>
    </message>
    <message>
        <source>Use one of: {0}.</source>
        <translation>Допустимые значения: {0}.</translation>
    </message>
    <message>
        <source>Page {0} does not exist.</source>
        <translation>Страницы {0} не существует.</translation>
    </message>
    <message>
        <source>Pages are numbered from 1.</source>
        <translation>Страницы нумеруются с 1.</translation>
    </message>
    <message>
        <source>A page of {0} orders is not possible.</source>
        <translation>Недопустимое число покупок на странице: {0}.</translation>
    </message>
    <message>
        <source>Ask for 1 to {0} orders per page.</source>
        <translation>Запрашивайте от 1 до {0} покупок на странице.</translation>
    </message>
    <message>
        <source>No order {0} exists.</source>
        <translation>Покупки {0} не существует.</translation>
    </message>
    <message>
        <source>Check the id; `proxyshop-desktop orders` (or the Sales tab) lists them.</source>
        <translation>Проверьте ID; список выводит `proxyshop-desktop orders` (или вкладка «Продажи»).</translation>
    </message>
    <message>
        <source>Unknown order status {0}.</source>
        <translation>Неизвестный статус покупки {0}.</translation>
    </message>
    <message>
        <source>The sold login or password cannot be sent over SOCKS5 (empty, longer than 255 characters, or not ASCII), so the proxy cannot be checked from here.</source>
        <translation>Проданные логин или пароль нельзя передать по SOCKS5 (пустые, длиннее 255 символов или не ASCII), поэтому проверить прокси отсюда нельзя.</translation>
    </message>
    <message>
        <source>Ask the provider for the credentials of this purchase.</source>
        <translation>Запросите у провайдера данные доступа для этой покупки.</translation>
    </message>
    <message>
        <source>Order {0} has no proxy to check: it is {1}.</source>
        <translation>У покупки {0} нет прокси для проверки: её статус {1}.</translation>
    </message>
    <message>
        <source>Only a sale with credentials can be checked; `proxyshop-desktop orders` lists them.</source>
        <translation>Проверить можно только продажу с данными доступа; их список выводит `proxyshop-desktop orders`.</translation>
    </message>
    <message>
        <source>Order {0} is {1}: only a refund_unknown order is settled by hand.</source>
        <translation>Покупка {0} в статусе {1}: вручную урегулируется только покупка в статусе refund_unknown.</translation>
    </message>
    <message>
        <source>Use Refund for a sold order; a refunded or void one needs nothing.</source>
        <translation>Для проданной покупки используйте «Возврат»; возвращённой или аннулированной ничего не нужно.</translation>
    </message>
    <message>
        <source>Order {0} was already refunded on {1} UTC.</source>
        <translation>По покупке {0} уже сделан возврат {1} UTC.</translation>
    </message>
    <message>
        <source>Order {0} was already refunded.</source>
        <translation>По покупке {0} уже сделан возврат.</translation>
    </message>
    <message>
        <source>Nothing to do: it was refunded once.</source>
        <translation>Делать ничего не нужно: возврат уже был.</translation>
    </message>
    <message>
        <source>The sale of order {0} is not settled yet.</source>
        <translation>Продажа по покупке {0} ещё не завершена.</translation>
    </message>
    <message>
        <source>Run `proxyshop-desktop reconcile` (or Reconcile in the Sales tab), then try again.</source>
        <translation>Запустите `proxyshop-desktop reconcile` (или «Сверка» на вкладке «Продажи») и повторите попытку.</translation>
    </message>
    <message>
        <source>Order {0} is void: no sale happened, so there is nothing to refund.</source>
        <translation>Покупка {0} аннулирована: продажи не было, возвращать нечего.</translation>
    </message>
    <message>
        <source>Order {0} is {1}; only sold orders can be refunded.</source>
        <translation>Покупка {0} в статусе {1}; возврат возможен только по проданным покупкам.</translation>
    </message>
    <message>
        <source>Order {0} has no provider purchase on record.</source>
        <translation>У покупки {0} нет записи о покупке у провайдера.</translation>
    </message>
    <message>
        <source>Run `proxyshop-desktop reconcile` to complete it from the provider&apos;s records.</source>
        <translation>Запустите `proxyshop-desktop reconcile`, чтобы дополнить её по данным провайдера.</translation>
    </message>
    <message>
        <source>The refund window of {0} minutes ended at {1} UTC ({2}).</source>
        <translation>Срок возврата ({0} мин) истёк в {1} UTC ({2}).</translation>
    </message>
    <message>
        <source>Refunds are possible within {0} minutes of the sale.</source>
        <translation>Возврат возможен в течение {0} мин после продажи.</translation>
    </message>
    <message>
        <source>A refund of order {0} is already in progress (started {1} UTC).</source>
        <translation>Возврат по покупке {0} уже выполняется (начат в {1} UTC).</translation>
    </message>
    <message>
        <source>Wait for it to finish, then look at the order again.</source>
        <translation>Дождитесь его завершения и снова посмотрите на покупку.</translation>
    </message>
    <message>
        <source>The provider says it can be refunded.</source>
        <translation>Провайдер сообщает, что возврат возможен.</translation>
    </message>
    <message>
        <source>The provider says: {0}</source>
        <translation>Ответ провайдера: {0}</translation>
    </message>
    <message>
        <source>The provider says: not refundable</source>
        <translation>Ответ провайдера: возврат невозможен</translation>
    </message>
    <message>
        <source>The refund of {0} sent at {1} UTC got no answer, and the provider now says &quot;{2}&quot;, which does not tell whether it happened. The order is marked refund_unknown; nothing was sent.</source>
        <translation>На возврат по {0}, отправленный в {1} UTC, ответа не было, а теперь провайдер сообщает «{2}», из чего не ясно, состоялся ли он. Покупка помечена как refund_unknown; ничего не отправлено.</translation>
    </message>
    <message>
        <source>Check purchase {0} with the provider. Each `proxyshop-desktop reconcile` (and each refund of this order) asks again and records the refund as soon as the provider says it was refunded.</source>
        <translation>Уточните покупку {0} у провайдера. Каждый запуск `proxyshop-desktop reconcile` (и каждый возврат по этой покупке) спрашивает снова и записывает возврат, как только провайдер подтвердит его.</translation>
    </message>
    <message>
        <source>The refund of {0} may or may not have happened at the provider.</source>
        <translation>Возврат по {0} у провайдера мог состояться, а мог и нет.</translation>
    </message>
    <message>
        <source>The order keeps a note of it. Try the refund again, or run `proxyshop-desktop reconcile`: the shop first asks the provider and records the refund if it went through.</source>
        <translation>В покупке сохранена отметка об этом. Повторите возврат или запустите `proxyshop-desktop reconcile`: магазин сначала спросит провайдера и запишет возврат, если он прошёл.</translation>
    </message>
    <message>
        <source>The provider refunded {0} (purchase {1}) but it could not be recorded: {2}</source>
        <translation>Провайдер сделал возврат по {0} (покупка {1}), но записать его не удалось: {2}</translation>
    </message>
    <message>
        <source>Fix the problem (disk space, permissions); a few minutes later `proxyshop-desktop reconcile` records this refund from the provider&apos;s answer (the order keeps its marker).</source>
        <translation>Устраните проблему (место на диске, права доступа); через несколько минут `proxyshop-desktop reconcile` запишет этот возврат по ответу провайдера (покупка сохраняет отметку).</translation>
    </message>
    <message>
        <source>The customer reference must be text.</source>
        <translation>Ссылка на клиента должна быть текстом.</translation>
    </message>
    <message>
        <source>The customer reference contains a control character (U+{0}).</source>
        <translation>В ссылке на клиента есть управляющий символ (U+{0}).</translation>
    </message>
    <message>
        <source>Use plain text on one line, e.g. a name, an e-mail or a ticket number.</source>
        <translation>Используйте обычный текст в одну строку, например имя, e-mail или номер обращения.</translation>
    </message>
    <message>
        <source>The customer reference is {0} characters long; the limit is {1}.</source>
        <translation>Длина ссылки на клиента — {0} симв.; предел — {1}.</translation>
    </message>
    <message>
        <source>Shorten it.</source>
        <translation>Сократите её.</translation>
    </message>
    <message>
        <source>Invalid product id {0}.</source>
        <translation>Неверный ID товара {0}.</translation>
    </message>
    <message>
        <source>Product ids are whole numbers.</source>
        <translation>ID товаров — целые числа.</translation>
    </message>
    <message>
        <source>Product {0} is already being sold (order {1}).</source>
        <translation>Товар {0} уже продаётся (покупка {1}).</translation>
    </message>
    <message>
        <source>Pick another proxy.</source>
        <translation>Выберите другой прокси.</translation>
    </message>
    <message>
        <source>Product {0} was already sold (order {1}).</source>
        <translation>Товар {0} уже продан (покупка {1}).</translation>
    </message>
    <message>
        <source>No product {0} in the inventory.</source>
        <translation>Товара {0} нет на складе.</translation>
    </message>
    <message>
        <source>Run a sync or pick another proxy.</source>
        <translation>Запустите синхронизацию или выберите другой прокси.</translation>
    </message>
    <message>
        <source>Product {0} could not be taken out of the inventory.</source>
        <translation>Не удалось снять товар {0} со склада.</translation>
    </message>
    <message>
        <source>The pending order {0} is no longer in the database.</source>
        <translation>Ожидающей покупки {0} больше нет в базе данных.</translation>
    </message>
    <message>
        <source>The order {0} is already {1}.</source>
        <translation>Покупка {0} уже в статусе {1}.</translation>
    </message>
    <message>
        <source>The provider sold proxy {0} (purchase {1}) but order {2} could not be saved: {3}</source>
        <translation>Провайдер продал прокси {0} (покупка {1}), но сохранить покупку {2} не удалось: {3}</translation>
    </message>
    <message>
        <source>The order stays pending with nothing lost; fix the problem (disk space, permissions), then run `proxyshop-desktop reconcile` to record the credentials.</source>
        <translation>Покупка остаётся ожидающей, ничего не потеряно; устраните проблему (место на диске, права доступа) и запустите `proxyshop-desktop reconcile`, чтобы записать данные доступа.</translation>
    </message>
    <message>
        <source>No products selected to sell.</source>
        <translation>Не выбрано ни одного товара для продажи.</translation>
    </message>
    <message>
        <source>Select one or more proxies first.</source>
        <translation>Сначала выберите один или несколько прокси.</translation>
    </message>
    <message>
        <source>Not attempted: the batch stopped at the failure above.</source>
        <extracomment>a batch stops at a refusal for the whole shop: what the products after it get</extracomment>
        <translation>Не выполнялось: пакет остановился на ошибке выше.</translation>
    </message>
    <message>
        <source>Invalid count {0}: a batch sells 1 or more proxies.</source>
        <translation>Неверное количество {0}: пакет продаёт 1 прокси или больше.</translation>
    </message>
    <message>
        <source>Pass --count 1 or more.</source>
        <translation>Укажите --count 1 или больше.</translation>
    </message>
    <message>
        <source>No proxy in the inventory matches these filters.</source>
        <translation>На складе нет прокси, подходящих под эти фильтры.</translation>
    </message>
    <message>
        <source>Run a sync or widen the filters.</source>
        <translation>Запустите синхронизацию или ослабьте фильтры.</translation>
    </message>
    <message>
        <source>Only {0} of {1} sold: no more matching proxies in the inventory.</source>
        <translation>Продано только {0} из {1}: подходящих прокси на складе больше нет.</translation>
    </message>
    <message>
        <source>Cannot write {0}: {1}.</source>
        <extracomment>a temp file this old was left by an export that was killed: no live export takes an hour</extracomment>
        <translation>Не удалось записать {0}: {1}.</translation>
    </message>
    <message>
        <source>Check that the folder is writable and the disk has free space.</source>
        <translation>Проверьте, что в папку можно писать и на диске есть свободное место.</translation>
    </message>
    <message>
        <source>That does not look like a Telegram bot token (digits, a colon, then ~35 characters).</source>
        <extracomment>a keyring read that takes longer is abandoned (a locked keyring can block forever): an event raised during a sync must not hold the sync up a token read from the keyring is reused this long (each raise would otherwise read it again)</extracomment>
        <translation>Это не похоже на токен бота Telegram (цифры, двоеточие, затем около 35 символов).</translation>
    </message>
    <message>
        <source>Copy the token @BotFather gave you, on one line.</source>
        <translation>Скопируйте токен, который выдал @BotFather, одной строкой.</translation>
    </message>
    <message>
        <source>Telegram alerts are off: a bot token and a chat id not set.</source>
        <translation>Оповещения в Telegram выключены: не заданы токен бота и ID чата.</translation>
    </message>
    <message>
        <source>Telegram alerts are off: a bot token not set.</source>
        <translation>Оповещения в Telegram выключены: не задан токен бота.</translation>
    </message>
    <message>
        <source>Telegram alerts are off: a chat id not set.</source>
        <translation>Оповещения в Telegram выключены: не задан ID чата.</translation>
    </message>
    <message>
        <source>Set the token with `proxyshop-desktop alerts token set` and the chat id in Settings &gt; Alerts (or PROXYSHOP_TELEGRAM_CHAT_ID).</source>
        <translation>Задайте токен командой `proxyshop-desktop alerts token set`, а ID чата — в «Настройки &gt; Оповещения» (или PROXYSHOP_TELEGRAM_CHAT_ID).</translation>
    </message>
    <message>
        <source>--demo opens the window; headless commands use the configured provider.</source>
        <translation>--demo открывает окно; консольные команды работают с настроенным провайдером.</translation>
    </message>
    <message>
        <source>Run `proxyshop-desktop demo-provider` and point EXTERNAL_SOCKS_API_URL at it.</source>
        <translation>Запустите `proxyshop-desktop demo-provider` и укажите его адрес в EXTERNAL_SOCKS_API_URL.</translation>
    </message>
    <message>
        <source>See `proxyshop-desktop sell --help`.</source>
        <translation>См. `proxyshop-desktop sell --help`.</translation>
    </message>
    <message>
        <source>Give either PRODUCT_ID or --count N, not both.</source>
        <translation>Укажите либо PRODUCT_ID, либо --count N, но не оба сразу.</translation>
    </message>
    <message>
        <source>Say what to sell: a PRODUCT_ID, or --count N.</source>
        <translation>Укажите, что продать: PRODUCT_ID или --count N.</translation>
    </message>
    <message>
        <source>Inventory filters only apply to --count N.</source>
        <translation>Фильтры склада действуют только с --count N.</translation>
    </message>
    <message>
        <source>Sell PRODUCT_ID alone, or use --count.</source>
        <translation>Продавайте PRODUCT_ID без фильтров или используйте --count.</translation>
    </message>
    <message>
        <source>Expected the token on one line of stdin.</source>
        <translation>Ожидался токен одной строкой на стандартном вводе.</translation>
    </message>
    <message>
        <source>Pipe only the token.</source>
        <translation>Передавайте через канал только токен.</translation>
    </message>
    <message>
        <source>Cannot start the demo provider on port {0}: {1}.</source>
        <translation>Не удалось запустить демо-провайдер на порту {0}: {1}.</translation>
    </message>
    <message>
        <source>Choose another port with --port.</source>
        <translation>Выберите другой порт через --port.</translation>
    </message>
    <message>
        <source>See `{0} --help`.</source>
        <translation>См. `{0} --help`.</translation>
    </message>
    <message>
        <source>the window layout file</source>
        <translation>файл раскладки окна</translation>
    </message>
    <message>
        <source>Cannot create the window layout file {0}: {1}.</source>
        <translation>Не удалось создать файл раскладки окна {0}: {1}.</translation>
    </message>
    <message>
        <source>Make {0} writable by this user, or point {1} at a folder you own.</source>
        <translation>Дайте этому пользователю право записи в {0} или укажите в {1} свою папку.</translation>
    </message>
    <message>
        <source>Cannot restore {0}: this shop uses a PostgreSQL database, which restores pg_dump backups (.pgdump) only.</source>
        <translation>Восстановить {0} нельзя: магазин работает с базой PostgreSQL, а в неё восстанавливаются только резервные копии pg_dump (.pgdump).</translation>
    </message>
    <message>
        <source>Choose a .pgdump file from the backups dir. To move a SQLite shop into PostgreSQL, restore it without PROXYSHOP_DATABASE_URL, then use `db copy --to URL`.</source>
        <translation>Выберите файл .pgdump из папки резервных копий. Чтобы перенести магазин из SQLite в PostgreSQL, восстановите его без PROXYSHOP_DATABASE_URL, затем выполните `db copy --to URL`.</translation>
    </message>
    <message>
        <source>The database {0} holds tables that are not a ProxyShop shop&apos;s ({1}).</source>
        <translation>В базе данных {0} есть таблицы, не принадлежащие магазину ProxyShop ({1}).</translation>
    </message>
    <message>
        <source>Restore into the shop&apos;s own database, or into a new, empty one.</source>
        <translation>Восстанавливайте в собственную базу магазина или в новую пустую.</translation>
    </message>
    <message>
        <source>Another machine is syncing or cleaning up the shop.</source>
        <translation>Другой компьютер сейчас синхронизирует или очищает магазин.</translation>
    </message>
    <message>
        <source>Wait for it to finish, then restore again.</source>
        <translation>Дождитесь завершения и повторите восстановление.</translation>
    </message>
    <message>
        <source>Cannot copy to {0}: the URL {1}.</source>
        <translation>Скопировать в {0} нельзя: адрес {1}.</translation>
    </message>
    <message>
        <source>Give postgresql://user@host:port/dbname.</source>
        <translation>Укажите postgresql://user@host:port/dbname.</translation>
    </message>
    <message>
        <source>There is no SQLite shop at {0} to copy.</source>
        <translation>По адресу {0} нет магазина SQLite для копирования.</translation>
    </message>
    <message>
        <source>Check {0}.</source>
        <translation>Проверьте {0}.</translation>
    </message>
    <message>
        <source>Quit the window (and any command or scheduled sync), then copy again.</source>
        <translation>Закройте окно (и все команды и запланированную синхронизацию), затем повторите копирование.</translation>
    </message>
</context>
<context>
    <name>export</name>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source> and {0} more</source>
        <translation> и ещё {0}</translation>
    </message>
    <message>
        <source>{0} sales left out of the TXT: {1}{2}; their credentials cannot be written as ip:port:login:password. Export as CSV to have them.</source>
        <translation>Не попали в TXT (продаж: {0}): {1}{2}; их данные доступа нельзя записать как ip:port:login:password. Чтобы получить их, экспортируйте в CSV.</translation>
    </message>
    <message>
        <source>the ip or port is missing</source>
        <translation>нет IP или порта</translation>
    </message>
    <message>
        <source>the ip contains &apos;:&apos; (an IPv6 address)</source>
        <translation>в IP есть &apos;:&apos; (адрес IPv6)</translation>
    </message>
    <message>
        <source>the port contains &apos;:&apos;</source>
        <translation>в порте есть &apos;:&apos;</translation>
    </message>
    <message>
        <source>the login contains &apos;:&apos;</source>
        <translation>в логине есть &apos;:&apos;</translation>
    </message>
    <message>
        <source>a credential contains a line break</source>
        <translation>в данных доступа есть перевод строки</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <source>These credentials cannot be written as ip:port:login:password; export as CSV.</source>
        <extracomment>shown where a value does not exist (no deadline, never synced, pending order without a price) the provider&apos;s prices are US dollars whatever the window&apos;s language</extracomment>
        <translation>Эти учётные данные нельзя записать как ip:port:login:password; экспортируйте в CSV.</translation>
    </message>
    <message>
        <source>{0} left</source>
        <translation>осталось {0}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>только что</translation>
    </message>
    <message>
        <source>{0} min ago</source>
        <translation>{0} мин назад</translation>
    </message>
    <message>
        <source>{0} h ago</source>
        <translation>{0} ч назад</translation>
    </message>
    <message>
        <source>{0} ms</source>
        <translation>{0} мс</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>неизвестно</translation>
    </message>
    <message>
        <source>fast</source>
        <translation>быстрый</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>средний</translation>
    </message>
    <message>
        <source>slow</source>
        <translation>медленный</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} с</translation>
    </message>
    <message>
        <source>{0} min {1} s</source>
        <translation>{0} мин {1} с</translation>
    </message>
</context>
<context>
    <name>refunds</name>
    <message>
        <source>{0} was already refunded at the provider (&quot;{1}&quot;): the answer to the refund sent at {2} UTC was lost. Recorded it now ({3}); nothing was refunded twice.</source>
        <translation>По {0} возврат у провайдера уже сделан («{1}»): ответ на возврат, отправленный в {2} UTC, был потерян. Теперь он записан ({3}); дважды ничего не возвращено.</translation>
    </message>
    <message>
        <source>Refunded {0} ({1}).</source>
        <translation>Возврат по {0} выполнен ({1}).</translation>
    </message>
    <message>
        <source>Recorded {0} as refunded at the provider ({1}).</source>
        <translation>Записано: по {0} у провайдера сделан возврат ({1}).</translation>
    </message>
    <message>
        <source>Recorded {0} as not refunded: it counts as sold again.</source>
        <translation>Записано: по {0} возврата не было; покупка снова считается проданной.</translation>
    </message>
</context>
<context>
    <name>restore</name>
    <message>
        <source>Other machines stay connected: they read the restored shop from their next query (a window at its next refresh); a sale or refund they made after the backup was taken is only in the saved copy.</source>
        <extracomment>what the operator is told happens to the other machines&apos; connections</extracomment>
        <translation>Другие компьютеры остаются подключёнными: со следующего запроса они видят восстановленный магазин (окно — при следующем обновлении); продажа или возврат, сделанные ими после создания резервной копии, есть только в сохранённой копии.</translation>
    </message>
    <message>
        <source>Restored {0} (schema v{1}) into {2}.</source>
        <translation>{0} (схема v{1}) восстановлена в {2}.</translation>
    </message>
    <message>
        <source>{0} The previous database was saved as {1}.</source>
        <translation>{0} Прежняя база данных сохранена как {1}.</translation>
    </message>
    <message>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
</context>
<context>
    <name>shop</name>
    <message>
        <source>Provider reachable and token accepted ({0}).</source>
        <translation>Провайдер доступен, токен принят ({0}).</translation>
    </message>
    <message>
        <source>The listing is empty.</source>
        <translation>Список прокси пуст.</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <source>The listing would have removed a large share of the inventory, so it was fetched again: only proxies missing from both listings were removed.</source>
        <extracomment>the listing would have removed a large share of the inventory, so it was fetched again and only proxies missing from both listings were removed (issue 15)</extracomment>
        <translation>По этому списку со склада ушла бы большая доля прокси, поэтому он был загружен повторно: удалены только прокси, которых нет в обоих списках.</translation>
    </message>
</context>
</TS>
